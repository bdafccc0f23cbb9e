package dev.orderly.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.testing.Await;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Many workers, many orders, many submitters: every order runs and completes exactly once. */
class OrderEngineConcurrencyTest {

  private static final int ORDERS = 100_000;
  private static final int SUBMITTERS = 4;

  @Test
  void eightWorkersCompleteAHundredThousandOrdersEachExactlyOnce() throws Exception {
    InMemoryOrderStore store = new InMemoryOrderStore();
    Map<OrderId, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<OrderId, AtomicInteger> completions = new ConcurrentHashMap<>();
    LongAdder failures = new LongAdder();
    OrderListener counting =
        new OrderListener() {
          @Override
          public void completed(Order order) {
            completions
                .computeIfAbsent(order.orderId(), id -> new AtomicInteger())
                .incrementAndGet();
          }

          @Override
          public void retryScheduled(Order order, Throwable error) {
            failures.increment();
          }

          @Override
          public void failed(Order order, Throwable error) {
            failures.increment();
          }
        };
    try (OrderEngine engine =
        OrderEngine.builder(
                store,
                order ->
                    runs.computeIfAbsent(order.orderId(), id -> new AtomicInteger())
                        .incrementAndGet())
            .workers(8)
            .pollInterval(Duration.ofMillis(100))
            .listener(counting)
            .build()) {
      engine.start();

      ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
          int first = s;
          done.add(
              submitters.submit(
                  () -> {
                    for (int i = first; i < ORDERS; i += SUBMITTERS) {
                      engine.submit(
                          NewOrder.of(
                              "order-" + i,
                              "user-" + (i % 97),
                              List.of("sku-" + i),
                              BigDecimal.TEN));
                    }
                  }));
        }
        for (Future<?> submitted : done) {
          submitted.get(2, TimeUnit.MINUTES);
        }
      } finally {
        submitters.shutdownNow();
      }

      Await.until(
          "every order is completed",
          Duration.ofMinutes(2),
          () -> store.statistics().completedCount() == ORDERS,
          () -> store.statistics().statusCounts().toString());
    }

    assertThat(store.statistics().statusCounts().of(OrderStatus.COMPLETED)).isEqualTo(ORDERS);
    assertThat(store.statistics().total()).isEqualTo(ORDERS);
    assertThat(runs).hasSize(ORDERS);
    assertThat(runs.values()).allMatch(count -> count.get() == 1, "ran exactly once");
    assertThat(completions).hasSize(ORDERS);
    assertThat(completions.values()).allMatch(count -> count.get() == 1, "completed once");
    assertThat(failures.sum()).isZero();
  }
}
