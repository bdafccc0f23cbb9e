package dev.orderly.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The database tests' PostgreSQL: the server named by {@code ORDERLY_TEST_DB_URL} (with {@code
 * ORDERLY_TEST_DB_USER} and {@code ORDERLY_TEST_DB_PASSWORD}) when set, as in CI, and otherwise an
 * embedded PostgreSQL started once per JVM, so the tests pass on any machine with a JDK. Each test
 * class gets a schema of its own, dropped afterwards, so runs never interfere.
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabase database = new TestDatabase();
 * }</pre>
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

  /** Where the tests' PostgreSQL listens, and as whom to log in. */
  public record Server(String url, String user, String password) {}

  private static Server server;

  private String schema;

  /** The shared server, started on first use. */
  public static synchronized Server server() {
    if (server == null) {
      String url = System.getenv("ORDERLY_TEST_DB_URL");
      if (url != null && !url.isBlank()) {
        server =
            new Server(
                url,
                System.getenv().getOrDefault("ORDERLY_TEST_DB_USER", "postgres"),
                System.getenv().getOrDefault("ORDERLY_TEST_DB_PASSWORD", ""));
      } else {
        server = startEmbedded();
      }
    }
    return server;
  }

  private static Server startEmbedded() {
    try {
      Path folder = Files.createTempDirectory("orderly-test-db");
      EmbeddedDatabase database = EmbeddedDatabase.start(folder);
      Runtime.getRuntime().addShutdownHook(new Thread(database::close, "orderly-test-db-stop"));
      return new Server(database.jdbcUrl(), database.user(), database.password());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("could not make a folder for the test database", e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    String testName = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
    schema =
        "t_"
            + testName.substring(0, Math.min(testName.length(), 30))
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    execute("create schema " + schema);
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    execute("drop schema if exists " + schema + " cascade");
  }

  /** This test class's own schema. */
  public String schema() {
    return schema;
  }

  /** A store on this class's schema, migrated; the caller closes it. */
  public PostgresOrderStore.Builder store() {
    Server s = server();
    return PostgresOrderStore.builder(s.url(), s.user(), s.password()).schema(schema).poolSize(8);
  }

  /** A plain connection with this class's schema first on the search path. */
  public Connection connect() throws SQLException {
    Server s = server();
    Connection connection = DriverManager.getConnection(s.url(), s.user(), s.password());
    try (Statement statement = connection.createStatement()) {
      statement.execute("set search_path to " + schema);
    }
    return connection;
  }

  /** Runs statements against this class's schema. */
  public void execute(String... statements) throws SQLException {
    Server s = server();
    try (Connection connection = DriverManager.getConnection(s.url(), s.user(), s.password());
        Statement statement = connection.createStatement()) {
      if (schema != null && !statements[0].startsWith("create schema")) {
        statement.execute("set search_path to " + schema);
      }
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
