package dev.orderly.core.order;

import dev.orderly.core.OrderlyException;

/** An order was asked to move between two statuses that {@link OrderStatus} does not connect. */
public class IllegalStatusTransitionException extends OrderlyException {

  private final OrderId orderId;
  private final OrderStatus from;
  private final OrderStatus to;

  public IllegalStatusTransitionException(OrderId orderId, OrderStatus from, OrderStatus to) {
    super("order " + orderId + " cannot move from " + from + " to " + to);
    this.orderId = orderId;
    this.from = from;
    this.to = to;
  }

  public OrderId orderId() {
    return orderId;
  }

  public OrderStatus from() {
    return from;
  }

  public OrderStatus to() {
    return to;
  }
}
