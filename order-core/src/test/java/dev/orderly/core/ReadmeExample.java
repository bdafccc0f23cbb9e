package dev.orderly.core;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.store.InMemoryOrderStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The README's "Embed it" example as code that compiles: {@link ReadmeExampleTest} checks that the
 * lines between the {@code readme} markers below are the lines of the README's example, and runs
 * them. Not thread-safe; each call builds its own store and engine.
 */
final class ReadmeExample {

  private ReadmeExample() {}

  /** Runs the README's example and hands back its store, so that a test can look inside. */
  static InMemoryOrderStore run() {
    // readme:start
    InMemoryOrderStore store = new InMemoryOrderStore();
    try (OrderEngine engine =
        OrderEngine.builder(store, order -> System.out.println("shipping " + order.orderId()))
            .workers(8)
            .leaseDuration(Duration.ofSeconds(30))
            .build()) {
      engine.start();
      engine.submit(NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00")));
    }
    // readme:end
    return store;
  }
}
