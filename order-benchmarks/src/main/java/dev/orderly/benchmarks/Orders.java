package dev.orderly.benchmarks;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes new orders with unique ids, shaped like the API's samples (one user, two items).
 * Thread-safe.
 */
final class Orders {

  private static final List<String> ITEMS = List.of("sku-1", "sku-2");
  private static final BigDecimal TOTAL = new BigDecimal("100.00");

  private final String prefix;
  private final AtomicLong next = new AtomicLong();

  Orders(String prefix) {
    this.prefix = prefix;
  }

  NewOrder next() {
    long n = next.getAndIncrement();
    return new NewOrder(new OrderId(prefix + n), "user-" + (n % 1_000), ITEMS, TOTAL);
  }

  List<NewOrder> next(int count) {
    List<NewOrder> orders = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      orders.add(next());
    }
    return orders;
  }
}
