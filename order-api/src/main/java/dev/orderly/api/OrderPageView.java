package dev.orderly.api;

import dev.orderly.core.store.OrderCursor;
import dev.orderly.core.store.OrderPage;
import java.util.List;

/** One page of {@code GET /orders}, newest first; {@code next_cursor} is null on the last page. */
record OrderPageView(List<OrderView> orders, String nextCursor) {

  static OrderPageView of(OrderPage page) {
    return new OrderPageView(
        page.orders().stream().map(OrderView::of).toList(),
        page.nextCursor().map(OrderCursor::encode).orElse(null));
  }
}
