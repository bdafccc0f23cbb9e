package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.StatusCounts;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.ClaimedOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The counters behind {@code statistics()} follow every statement that writes orders, the store's
 * own and hand-written SQL alike (bulk inserts, updates of several rows, deletes): after each, they
 * equal the same figures computed from the rows themselves.
 */
class OrderCountersTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  private static PostgresOrderStore store;

  @BeforeAll
  static void openStore() {
    store = database.store().build();
  }

  @AfterAll
  static void closeStore() {
    store.close();
  }

  @Test
  void countersEqualTheRowsAfterEveryKindOfWrite() throws Exception {
    List<NewOrder> orders = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      orders.add(NewOrder.of("o-" + i, "u-" + i % 3, List.of("sku-" + i), BigDecimal.ONE));
    }
    store.createAll(orders, NOW);
    assertCountersMatchTheRows();

    List<ClaimedOrder> claimed =
        store.claimDue("node-a", 6, NOW.plusMillis(20), Duration.ofMinutes(1));
    assertThat(claimed).hasSize(6);
    assertCountersMatchTheRows();

    for (ClaimedOrder order : claimed.subList(0, 4)) {
      assertThat(store.complete(order.lease(), NOW.plusMillis(350))).isTrue();
    }
    assertThat(store.fail(claimed.get(4).lease(), "boom", NOW.plusMillis(400))).isTrue();
    store.cancel(OrderId.of("o-9"), NOW.plusMillis(500));
    assertCountersMatchTheRows();

    database.execute(
        // Several statuses in one statement, one of them started and finished.
        "insert into orders (order_id, user_id, item_ids, total_amount, status, attempts,"
            + " created_at, updated_at, started_at, completed_at, next_attempt_at,"
            + " lease_expires_at) values"
            + " ('h-1', 'u', '{}', 1, 'Pending', 0, now(), now(), null, null, now(), null),"
            + " ('h-2', 'u', '{}', 1, 'Completed', 1, now() - interval '3 s', now(),"
            + "  now() - interval '2 s', now(), null, null),"
            + " ('h-3', 'u', '{}', 1, 'Processing', 1, now() - interval '1 s', now(), now(),"
            + "  null, null, now() + interval '1 min')",
        // A change that moves no figure.
        "update orders set user_id = 'someone' where order_id in ('o-0', 'h-1')",
        // Several rows, several moves, in one statement.
        "update orders set status = 'Cancelled', next_attempt_at = null,"
            + " lease_expires_at = null where status in ('Pending', 'Processing')");
    assertCountersMatchTheRows();

    database.execute("delete from orders where order_id in ('o-0', 'o-4', 'h-2', 'h-3')");
    assertCountersMatchTheRows();
    assertThat(store.statistics().total()).isEqualTo(9);
  }

  private static void assertCountersMatchTheRows() throws Exception {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select status, count(*) as orders,"
                    + " coalesce(sum((extract(epoch from completed_at - created_at) * 1000000)"
                    + "::bigint) filter (where status = 'Completed'), 0) as processing,"
                    + " count(started_at) as started,"
                    + " coalesce(sum((extract(epoch from started_at - created_at) * 1000000)"
                    + "::bigint), 0) as queue_wait"
                    + " from orders group by status")) {
      Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
      long processing = 0;
      long started = 0;
      long queueWait = 0;
      while (rows.next()) {
        counts.put(OrderStatus.fromLabel(rows.getString("status")), rows.getLong("orders"));
        processing += rows.getLong("processing");
        started += rows.getLong("started");
        queueWait += rows.getLong("queue_wait");
      }
      assertThat(store.statistics())
          .isEqualTo(new OrderStatistics(StatusCounts.of(counts), processing, started, queueWait));
    }
  }
}
