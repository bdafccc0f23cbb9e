package dev.orderly.benchmarks;

import dev.orderly.persistence.PostgresOrderStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The PostgreSQL server the benchmarks run against, and a throwaway schema per trial. Settings come
 * from {@code ORDERLY_BENCH_DB_URL}, {@code ORDERLY_BENCH_DB_USER} and {@code
 * ORDERLY_BENCH_DB_PASSWORD}. Immutable and thread-safe.
 */
final class BenchDatabase {

  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String DEFAULT_USER = "postgres";
  static final String DEFAULT_PASSWORD = "postgres";

  /** Held, so the level set on it is not lost when the logger is collected. */
  private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

  static {
    // Flyway logs every migration at INFO through java.util.logging: once per trial here.
    FLYWAY_LOG.setLevel(Level.WARNING);
  }

  final String url = setting("ORDERLY_BENCH_DB_URL", DEFAULT_URL);
  final String user = setting("ORDERLY_BENCH_DB_USER", DEFAULT_USER);
  final String password = setting("ORDERLY_BENCH_DB_PASSWORD", DEFAULT_PASSWORD);

  /** A fresh schema name, so that concurrent or aborted trials never see each other's rows. */
  static String newSchemaName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** A store over its own pool whose tables live in {@code schema} (created by the migration). */
  PostgresOrderStore.Builder store(String schema) {
    return PostgresOrderStore.builder(url, user, password).schema(schema);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Drops a schema that {@link #newSchemaName} made, with everything in it. */
  void dropSchema(String schema) throws SQLException {
    // The name is ours (letters, digits, underscore), so quoting it is enough.
    execute("drop schema if exists \"" + schema.toLowerCase(Locale.ROOT) + "\" cascade");
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
