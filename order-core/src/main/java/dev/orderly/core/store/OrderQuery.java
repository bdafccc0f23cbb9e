package dev.orderly.core.store;

import dev.orderly.core.order.OrderStatus;

/**
 * Which orders to list, newest first: optionally only one status or one user, at most {@code limit}
 * of them, after a cursor. Immutable; start from {@link #all()}.
 *
 * <pre>{@code
 * OrderQuery query = OrderQuery.all().withStatus(OrderStatus.FAILED).withLimit(50);
 * }</pre>
 *
 * @param status only orders in this status, or {@code null} for every status
 * @param userId only this user's orders, or {@code null} for every user
 * @param cursor start after this position, or {@code null} for the newest
 */
public record OrderQuery(OrderStatus status, String userId, int limit, OrderCursor cursor) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1_000;

  public OrderQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  public static OrderQuery all() {
    return new OrderQuery(null, null, DEFAULT_LIMIT, null);
  }

  public OrderQuery withStatus(OrderStatus status) {
    return new OrderQuery(status, userId, limit, cursor);
  }

  public OrderQuery withUserId(String userId) {
    return new OrderQuery(status, userId, limit, cursor);
  }

  public OrderQuery withLimit(int limit) {
    return new OrderQuery(status, userId, limit, cursor);
  }

  public OrderQuery after(OrderCursor cursor) {
    return new OrderQuery(status, userId, limit, cursor);
  }
}
