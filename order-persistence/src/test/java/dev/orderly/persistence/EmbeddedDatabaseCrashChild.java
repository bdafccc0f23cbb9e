package dev.orderly.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The child JVM of {@link EmbeddedDatabaseCrashTest}: starts an embedded database on the folder in
 * {@code args[0]} and commits one row per transaction, printing {@code ack <id>} once each commit
 * has returned, until it is killed (or, should the parent be gone, for at most a minute).
 */
public final class EmbeddedDatabaseCrashChild {

  static final String ACK = "ack ";
  private static final Duration LIFETIME = Duration.ofMinutes(1);

  private EmbeddedDatabaseCrashChild() {}

  public static void main(String[] args) throws SQLException {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
    long deadline = System.nanoTime() + LIFETIME.toNanos();
    try (Connection connection = database.dataSource().getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("create table acknowledged (id bigint primary key)");
      }
      try (PreparedStatement insert =
          connection.prepareStatement("insert into acknowledged (id) values (?)")) {
        // Auto-commit: every insert is its own transaction, acknowledged when executeUpdate
        // returns.
        for (long id = 1; System.nanoTime() - deadline < 0; id++) {
          insert.setLong(1, id);
          insert.executeUpdate();
          System.out.println(ACK + id);
          System.out.flush();
        }
      }
    }
    database.close();
  }
}
