package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.OrderClient;
import dev.orderly.core.OrderEngine;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.testing.Await;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two engines on one database share the work, and every order completes exactly once. */
class SharedDatabaseTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final int ORDERS = 20_000;

  @Test
  void twoEnginesOfFourWorkersCompleteTwentyThousandOrdersExactlyOnce() throws Exception {
    Map<OrderId, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (PostgresOrderStore storeA = database.store().build();
        PostgresOrderStore storeB = database.store().migrate(false).build();
        PostgresOrderStore clientStore = database.store().migrate(false).poolSize(2).build()) {
      TransitionLog.install(database);
      try (OrderEngine engineA = engine(storeA, "node-a", runs);
          OrderEngine engineB = engine(storeB, "node-b", runs)) {
        engineA.start();
        engineB.start();
        OrderClient client = OrderClient.create(clientStore);

        // A third each through each engine's hand-off, a third through a node that runs no workers.
        for (int from = 0; from < ORDERS; from += 1_000) {
          List<NewOrder> batch = orders(from, 1_000);
          switch ((from / 1_000) % 3) {
            case 0 -> engineA.submitAll(batch);
            case 1 -> engineB.submitAll(batch);
            default -> client.submitAll(batch);
          }
        }

        Await.until(
            "every order is completed",
            Duration.ofMinutes(3),
            () -> storeA.statistics().completedCount() == ORDERS,
            () -> storeA.statistics().statusCounts().toString());
      }

      assertThat(TransitionLog.count(database, "Pending", "Processing")).isEqualTo(ORDERS);
      assertThat(TransitionLog.count(database, "Processing", "Completed")).isEqualTo(ORDERS);
      assertThat(TransitionLog.ordersCompleted(database)).isEqualTo(ORDERS);
      assertThat(runs).hasSize(ORDERS);
      assertThat(runs.values()).allMatch(count -> count.get() == 1, "ran exactly once");
      long byA =
          TransitionLog.single(
              database, "select count(*) from orders where processed_by = 'node-a'");
      long byB =
          TransitionLog.single(
              database, "select count(*) from orders where processed_by = 'node-b'");
      assertThat(byA).isPositive();
      assertThat(byB).isPositive();
      assertThat(byA + byB).isEqualTo(ORDERS);
      assertThat(storeA.statistics().total()).isEqualTo(ORDERS);
    }
  }

  private static OrderEngine engine(
      PostgresOrderStore store, String node, Map<OrderId, AtomicInteger> runs) {
    return OrderEngine.builder(
            store,
            order ->
                runs.computeIfAbsent(order.orderId(), id -> new AtomicInteger()).incrementAndGet())
        .workers(4)
        .nodeId(node)
        .pollInterval(Duration.ofMillis(200))
        .build();
  }

  private static List<NewOrder> orders(int from, int count) {
    List<NewOrder> orders = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      orders.add(
          NewOrder.of(
              "order-" + i, "user-" + (i % 50), List.of("sku-" + i), new BigDecimal("9.99")));
    }
    return orders;
  }
}
