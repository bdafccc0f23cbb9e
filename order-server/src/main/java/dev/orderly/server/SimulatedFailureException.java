package dev.orderly.server;

import dev.orderly.core.OrderlyException;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;

/**
 * The failure that {@link DemoProcessor} draws for a share of attempts, standing in for a payment
 * or stock error that a retry may fix. Immutable.
 */
public final class SimulatedFailureException extends OrderlyException {

  private final transient OrderId orderId;

  SimulatedFailureException(Order order, double failureRate) {
    super(
        "simulated failure of order "
            + order.orderId()
            + " attempt "
            + order.attempts()
            + " (--failure-rate "
            + failureRate
            + ")");
    this.orderId = order.orderId();
  }

  public OrderId orderId() {
    return orderId;
  }
}
