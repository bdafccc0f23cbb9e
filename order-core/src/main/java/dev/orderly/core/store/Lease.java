package dev.orderly.core.store;

import dev.orderly.core.order.OrderId;
import java.util.Objects;

/**
 * The right of one node to finish one attempt of one order. The attempt number is the fencing
 * token: a store applies a lease operation only while the order is Processing under this owner and
 * this very attempt, so a holder whose lease expired and was taken over can never overwrite the
 * newer attempt.
 */
public record Lease(OrderId orderId, String owner, int attempt) {

  public Lease {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(owner, "owner");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
  }
}
