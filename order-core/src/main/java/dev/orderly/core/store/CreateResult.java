package dev.orderly.core.store;

import dev.orderly.core.order.Order;
import java.util.Objects;

/**
 * What became of one create: a new order, a repeat of an existing one, or a clash with an existing
 * one. {@link #order()} is the order now stored under the id (the existing one unless created).
 */
public record CreateResult(Outcome outcome, Order order) {

  /** The three answers an idempotent create can give. */
  public enum Outcome {
    /** The order is new and durable. */
    CREATED,
    /** An order with the same id and the same content exists; nothing changed. */
    DUPLICATE,
    /** An order with the same id but other content exists; nothing changed. */
    CONFLICT
  }

  public CreateResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(order, "order");
  }

  public static CreateResult created(Order order) {
    return new CreateResult(Outcome.CREATED, order);
  }

  public boolean isCreated() {
    return outcome == Outcome.CREATED;
  }
}
