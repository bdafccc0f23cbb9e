package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's deliverable "SQL scripts for schema creation and sample data population": {@code
 * docs/schema.sql} and {@code docs/sample-data.sql} apply cleanly to a real database, the store
 * reads what they wrote, and the schema script is exactly the migrations.
 */
class SchemaScriptsTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final Path DOCS = Path.of("..", "docs");

  @Test
  void schemaScriptIsTheMigrationsInOrder() throws IOException {
    String schema = Files.readString(DOCS.resolve("schema.sql"));
    List<String> migrations = new ArrayList<>();
    for (int version = 1; ; version++) {
      String text = migration(version);
      if (text == null) {
        break;
      }
      migrations.add(text);
    }

    assertThat(migrations).isNotEmpty();
    assertThat(schema).endsWith(String.join("\n", migrations));
  }

  @Test
  void bothScriptsApplyAndTheStoreReadsTheSampleOrders() throws Exception {
    database.execute(
        Files.readString(DOCS.resolve("schema.sql")),
        Files.readString(DOCS.resolve("sample-data.sql")));

    try (PostgresOrderStore store = database.store().migrate(false).build()) {
      OrderStatistics statistics = store.statistics();
      assertThat(statistics.total()).isEqualTo(14);
      assertThat(statistics.statusCounts().of(OrderStatus.COMPLETED)).isEqualTo(13);
      assertThat(statistics.statusCounts().of(OrderStatus.PENDING)).isEqualTo(1);
      // The seed's GET /metrics sample: 6.24 seconds on average, to the hundredth.
      assertThat(statistics.meanProcessingTime())
          .hasValueSatisfying(
              mean -> assertThat(Math.round(mean.toMillis() / 10.0) / 100.0).isEqualTo(6.24));

      Order eleven = store.find(OrderId.of("11")).orElseThrow();
      assertThat(eleven.status()).isEqualTo(OrderStatus.COMPLETED);
      assertThat(eleven.createdAt()).isEqualTo(Instant.parse("2025-03-02T14:15:44.685458Z"));
      assertThat(eleven.updatedAt()).isEqualTo(Instant.parse("2025-03-02T14:15:50.921274Z"));
      assertThat(Duration.between(eleven.createdAt(), eleven.completedAt()).toMillis())
          .isEqualTo(6_235);

      // The Pending sample order is a live queue entry: an engine can claim it.
      assertThat(store.claimDue("node", 10, Instant.now(), Duration.ofSeconds(30)))
          .extracting(claimed -> claimed.order().orderId().value())
          .containsExactly("14");
    }
  }

  /** The text of migration {@code version}, or null when there is none. */
  private static String migration(int version) throws IOException {
    Path folder = Path.of("src/main/resources/dev/orderly/persistence/migration");
    try (var files = Files.list(folder)) {
      Path file =
          files
              .filter(path -> path.getFileName().toString().startsWith("V" + version + "__"))
              .findFirst()
              .orElse(null);
      return file == null ? null : Files.readString(file);
    }
  }
}
