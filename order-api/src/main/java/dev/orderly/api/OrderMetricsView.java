package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.orderly.core.order.Order;

/**
 * The answer of {@code GET /metrics/{id}}.
 *
 * @param processingTime creation to the end of processing as {@code "6.24 seconds"}, or null until
 *     the order is finished (Completed or Failed)
 */
@JsonPropertyOrder({"order_id", "status", "created_at", "updated_at", "processing_time"})
record OrderMetricsView(
    String orderId, String status, String createdAt, String updatedAt, String processingTime) {

  static OrderMetricsView of(Order order) {
    return new OrderMetricsView(
        order.orderId().value(),
        order.status().label(),
        Wire.timestamp(order.createdAt()),
        Wire.timestamp(order.updatedAt()),
        order.processingTime().map(Wire::secondsText).orElse(null));
  }
}
