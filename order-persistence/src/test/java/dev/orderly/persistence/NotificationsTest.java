package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.OrderClient;
import dev.orderly.core.OrderEngine;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.testing.Await;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LISTEN/NOTIFY wakes an idle engine when another node creates or retries an order. */
class NotificationsTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  @Test
  void anIdleEngineWakesForAnOrderCreatedOnAnotherNode() {
    try (PostgresOrderStore workerStore = database.store().build();
        PostgresOrderStore clientStore = database.store().migrate(false).build();
        // Polls once at start and then not for an hour: only a notification can wake it.
        OrderEngine engine =
            OrderEngine.builder(workerStore, order -> {})
                .nodeId("idle-node")
                .pollInterval(Duration.ofHours(1))
                .build()) {
      engine.start();
      OrderClient client = OrderClient.create(clientStore);

      client.submit(NewOrder.of("from-elsewhere", "user-1", List.of("sku-1"), BigDecimal.ONE));

      Await.until(
          "the idle engine completes the order created on another node",
          Duration.ofSeconds(20),
          () ->
              workerStore.find(OrderId.of("from-elsewhere")).orElseThrow().status()
                  == OrderStatus.COMPLETED);
      assertThat(workerStore.find(OrderId.of("from-elsewhere")).orElseThrow().processedBy())
          .isEqualTo("idle-node");
    }
  }
}
