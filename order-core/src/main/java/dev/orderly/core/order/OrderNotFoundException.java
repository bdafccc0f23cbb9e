package dev.orderly.core.order;

import dev.orderly.core.OrderlyException;

/** No order with the given id exists. */
public class OrderNotFoundException extends OrderlyException {

  private final OrderId orderId;

  public OrderNotFoundException(OrderId orderId) {
    super("order " + orderId + " does not exist");
    this.orderId = orderId;
  }

  public OrderId orderId() {
    return orderId;
  }
}
