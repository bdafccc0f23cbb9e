package dev.orderly.core.order;

import java.util.Objects;

/**
 * One broken rule of an input: the field ({@code "totalAmount"}, {@code "itemIds[3]"}) and what is
 * wrong with it.
 */
public record Violation(String field, String message) {

  public Violation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + " " + message;
  }
}
