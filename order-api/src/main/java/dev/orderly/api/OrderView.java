package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.orderly.core.order.Order;
import java.math.BigDecimal;
import java.util.List;

/** A whole order as {@code GET /orders/{id}} shows it; times are ISO-8601 UTC, or null. */
@JsonPropertyOrder({
  "order_id",
  "user_id",
  "item_ids",
  "total_amount",
  "status",
  "attempts",
  "created_at",
  "updated_at",
  "started_at",
  "completed_at",
  "last_error",
  "processed_by"
})
record OrderView(
    String orderId,
    String userId,
    List<String> itemIds,
    BigDecimal totalAmount,
    String status,
    int attempts,
    String createdAt,
    String updatedAt,
    String startedAt,
    String completedAt,
    String lastError,
    String processedBy) {

  static OrderView of(Order order) {
    return new OrderView(
        order.orderId().value(),
        order.userId(),
        order.itemIds(),
        order.totalAmount(),
        order.status().label(),
        order.attempts(),
        Wire.timestamp(order.createdAt()),
        Wire.timestamp(order.updatedAt()),
        Wire.timestamp(order.startedAt()),
        Wire.timestamp(order.completedAt()),
        order.lastError(),
        order.processedBy());
  }
}
