package dev.orderly.persistence;

import dev.orderly.core.OrderlyException;
import dev.orderly.core.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The few JDBC moves the store makes, and the one place where {@link SQLException} becomes a domain
 * exception. Thread-safe.
 */
final class Jdbc {

  /** Deadlocks and serialization failures are the database asking for another try. */
  private static final int MAX_TRIES = 3;

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A unit of work over one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one transaction, trying again when the database asks for it. */
  <T> T inTransaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < MAX_TRIES && isRetryable(e)) {
          continue;
        }
        throw translate(what, e);
      }
    }
  }

  /** Runs {@code work} on one connection in auto-commit mode: one statement, one transaction. */
  <T> T once(String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw translate(what, e);
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** Connection trouble is {@link StoreUnavailableException}; anything else a plain failure. */
  static OrderlyException translate(String what, SQLException e) {
    String state = e.getSQLState();
    if (e instanceof SQLTransientConnectionException
        || (state != null && (state.startsWith("08") || state.startsWith("57P")))) {
      return new StoreUnavailableException("the database is unavailable: could not " + what, e);
    }
    return new OrderlyException("the database failed to " + what + ": " + e.getMessage(), e);
  }

  static void setTime(PreparedStatement statement, int index, Instant time) throws SQLException {
    statement.setObject(
        index, time == null ? null : OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
  }

  static Instant getTime(ResultSet rows, String column) throws SQLException {
    OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  /** Microseconds since the epoch: how times travel in arrays, exactly. */
  static long micros(Instant time) {
    return Math.addExact(
        Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
  }
}
