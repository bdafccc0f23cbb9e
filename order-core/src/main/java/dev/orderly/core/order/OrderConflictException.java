package dev.orderly.core.order;

import dev.orderly.core.OrderlyException;

/** An order was submitted under an id that already belongs to an order with other content. */
public class OrderConflictException extends OrderlyException {

  private final OrderId orderId;

  public OrderConflictException(OrderId orderId) {
    super("order " + orderId + " already exists with different content");
    this.orderId = orderId;
  }

  public OrderId orderId() {
    return orderId;
  }
}
