package dev.orderly.core.order;

import java.util.Objects;
import java.util.UUID;

/**
 * The caller-chosen identity of an order: non-blank text of at most {@value #MAX_LENGTH}
 * characters.
 */
public record OrderId(String value) implements Comparable<OrderId> {

  public static final int MAX_LENGTH = 128;

  public OrderId {
    String problem = problemWith(value);
    if (problem != null) {
      throw new InvalidOrderException(new Violation("orderId", problem));
    }
  }

  public static OrderId of(String value) {
    return new OrderId(value);
  }

  /** A new random id, for callers that leave the choice to Orderly. */
  public static OrderId random() {
    return new OrderId(UUID.randomUUID().toString());
  }

  /** Why {@code value} cannot be an id, or {@code null} when it can. */
  static String problemWith(String value) {
    return Checks.identifierProblem(value, MAX_LENGTH);
  }

  @Override
  public int compareTo(OrderId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return Objects.toString(value);
  }
}
