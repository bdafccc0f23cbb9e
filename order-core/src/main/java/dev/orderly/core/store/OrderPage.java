package dev.orderly.core.store;

import dev.orderly.core.order.Order;
import java.util.List;
import java.util.Optional;

/** One page of a listing, and where the next page starts if there is one. */
public record OrderPage(List<Order> orders, OrderCursor next) {

  public OrderPage {
    orders = List.copyOf(orders);
  }

  /**
   * The page for {@code found}, which holds up to {@code limit + 1} orders to tell if more follow.
   */
  public static OrderPage of(List<Order> found, int limit) {
    if (found.size() <= limit) {
      return new OrderPage(found, null);
    }
    List<Order> page = found.subList(0, limit);
    return new OrderPage(page, OrderCursor.after(page.get(limit - 1)));
  }

  public Optional<OrderCursor> nextCursor() {
    return Optional.ofNullable(next);
  }
}
