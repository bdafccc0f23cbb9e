package dev.orderly.core.store;

import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in the list of orders, newest first: the creation time and id of the last order seen.
 * Both are immutable, so a page never repeats or skips an order that existed when paging began,
 * whatever is inserted meanwhile. {@link #encode()} gives the opaque text clients pass back.
 */
public record OrderCursor(Instant createdAt, OrderId orderId) {

  public OrderCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(orderId, "orderId");
  }

  public static OrderCursor after(Order order) {
    return new OrderCursor(order.createdAt(), order.orderId());
  }

  /** Whether {@code order} comes after this position in the newest-first order. */
  public boolean precedes(Order order) {
    int byTime = order.createdAt().compareTo(createdAt);
    return byTime < 0 || (byTime == 0 && order.orderId().compareTo(orderId) < 0);
  }

  public String encode() {
    String plain = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + orderId.value();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a cursor made by {@link #encode()}.
   *
   * @throws IllegalArgumentException when {@code text} is not such a cursor
   */
  public static OrderCursor decode(String text) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      String[] parts = plain.split(":", 3);
      return new OrderCursor(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          OrderId.of(parts[2]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cursor '" + text + "' is not one this server gave out");
    }
  }
}
