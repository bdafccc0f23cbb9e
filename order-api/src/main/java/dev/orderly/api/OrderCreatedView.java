package dev.orderly.api;

import dev.orderly.core.order.Order;

/** The answer to a create: {@code {"order_id":"11","status":"Pending"}}. */
record OrderCreatedView(String orderId, String status) {

  static OrderCreatedView of(Order order) {
    return new OrderCreatedView(order.orderId().value(), order.status().label());
  }
}
