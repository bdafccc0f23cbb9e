package dev.orderly.core.store;

import dev.orderly.core.order.Order;
import java.time.Instant;
import java.util.Objects;

/**
 * An order a node has claimed: the order as it now stands (Processing), its lease, and until when.
 */
public record ClaimedOrder(Order order, Lease lease, Instant leaseExpiresAt) {

  public ClaimedOrder {
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
  }

  /** The claim of {@code order}, which must already be Processing under its new attempt. */
  public static ClaimedOrder of(Order order, Instant leaseExpiresAt) {
    return new ClaimedOrder(
        order, new Lease(order.orderId(), order.processedBy(), order.attempts()), leaseExpiresAt);
  }
}
