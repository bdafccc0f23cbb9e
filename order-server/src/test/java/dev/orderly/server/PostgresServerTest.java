package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.testing.Await;
import dev.orderly.persistence.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server on PostgreSQL (the test database, in a schema of this class's own). */
class PostgresServerTest extends ServerContractTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  /** The options that point a server at this class's schema of the test database. */
  static List<String> databaseOptions(TestDatabase database) {
    TestDatabase.Server server = TestDatabase.server();
    String separator = server.url().contains("?") ? "&" : "?";
    List<String> options = new ArrayList<>();
    options.add("--db-url");
    options.add(server.url() + separator + "currentSchema=" + database.schema());
    options.add("--db-user");
    options.add(server.user());
    if (!server.password().isEmpty()) {
      options.add("--db-password");
      options.add(server.password());
    }
    options.add("--db-pool-size");
    options.add("4");
    return options;
  }

  /** How many stored orders have each status. */
  static Map<String, Integer> storedStatuses(TestDatabase database) {
    Map<String, Integer> counts = new TreeMap<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("select status, count(*) from orders group by status")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not count the stored orders", e);
    }
    return counts;
  }

  @Override
  List<String> storeOptions() {
    return databaseOptions(database);
  }

  @AfterEach
  void emptyTheStore() throws SQLException {
    closeServers();
    database.execute("truncate orders");
  }

  private static String order(String id) {
    return "{\"order_id\": \""
        + id
        + "\", \"user_id\": \"u-1\", \"item_ids\": [\"sku-1\"], \"total_amount\": 12.50}";
  }

  @Test
  @Timeout(60)
  void shutdownReleasesOrdersItCannotFinishSoNoneIsLeftProcessing() {
    // Work that never ends by itself: shutdown must give up on it after the timeout.
    OrderlyServer server = start("--processing-delay", "1h", "--shutdown-timeout", "200ms");
    TestHttp http = new TestHttp(server.uri());
    for (int i = 1; i <= 5; i++) {
      assertThat(http.post("/orders", order("slow-" + i)).status()).isBetween(200, 201);
    }
    Await.until(
        "both workers are busy (the engine may claim more ahead of them)",
        DEADLINE,
        () -> storedStatuses(database).getOrDefault("Processing", 0) >= 2,
        () -> storedStatuses(database).toString());

    server.close();

    assertThat(storedStatuses(database)).isEqualTo(Map.of("Pending", 5));
  }

  @Test
  @Timeout(60)
  void shutdownLetsRunningOrdersFinishWithinTheTimeout() {
    OrderlyServer server = start("--processing-delay", "2s", "--shutdown-timeout", "30s");
    TestHttp http = new TestHttp(server.uri());
    http.post("/orders", order("a"));
    http.post("/orders", order("b"));
    Await.until(
        "both orders run",
        DEADLINE,
        () -> storedStatuses(database).getOrDefault("Processing", 0) == 2,
        () -> storedStatuses(database).toString());

    server.close();

    assertThat(storedStatuses(database)).isEqualTo(Map.of("Completed", 2));
  }

  @Test
  @Timeout(60)
  void releasedOrdersAreProcessedByTheNextServer() {
    OrderlyServer first = start("--processing-delay", "1h", "--shutdown-timeout", "0");
    TestHttp http = new TestHttp(first.uri());
    http.post("/orders", order("kept-1"));
    http.post("/orders", order("kept-2"));
    Await.until(
        "both orders run",
        DEADLINE,
        () -> storedStatuses(database).getOrDefault("Processing", 0) == 2);
    first.close();

    TestHttp next = new TestHttp(start().uri());

    awaitStatus(next, "kept-1", "Completed");
    awaitStatus(next, "kept-2", "Completed");
    assertThat(storedStatuses(database)).isEqualTo(Map.of("Completed", 2));
  }

  @Test
  void theStartupLineNamesTheDatabaseWithoutThePassword() {
    OrderlyServer server = start();

    assertThat(server.config().storeDescription()).startsWith("PostgreSQL at jdbc:postgresql:");
    assertThat(server.config().toString()).contains("db-password=");
    String password = TestDatabase.server().password();
    if (!password.isEmpty()) {
      assertThat(server.config().toString()).contains("db-password=****");
    }
  }
}
