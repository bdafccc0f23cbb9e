package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.ClaimedOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims commit without waiting for their WAL flush, and only they: the setting ends with the
 * claim's own transaction, so the connection goes back to the pool with durable commits for the
 * creates and completions that use it next.
 */
class ClaimCommitTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void theConnectionOfAClaimCommitsDurablyAfterIt() throws Exception {
    // Migrated first: Flyway needs two connections.
    database.store().build().close();
    TestDatabase.Server server = TestDatabase.server();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.url());
    config.setUsername(server.user());
    config.setPassword(server.password());
    // One connection: the one the claim used is the one looked at afterwards.
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config);
        PostgresOrderStore store =
            PostgresOrderStore.builder(pool).schema(database.schema()).migrate(false).build()) {
      store.create(NewOrder.of("claimed", "u", List.of("sku"), BigDecimal.ONE), NOW);

      List<ClaimedOrder> claimed = store.claimDue("node", 10, NOW, Duration.ofMinutes(1));

      assertThat(claimed).hasSize(1);
      assertThat(claimed.get(0).order().status()).isEqualTo(OrderStatus.PROCESSING);
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement();
          ResultSet setting = statement.executeQuery("show synchronous_commit")) {
        assertThat(setting.next()).isTrue();
        assertThat(setting.getString(1)).isEqualTo("on");
      }
    }
  }
}
