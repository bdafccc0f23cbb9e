package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.orderly.core.metrics.OrderStatistics;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The answer of {@code GET /metrics}: the seed's three keys first, then more.
 *
 * @param statusCounts every status by label, zero when none
 * @param averageProcessingTime the mean seconds from creation to completion over Completed orders,
 *     or null while no order has completed
 * @param averageQueueWait the mean seconds from creation to first start over orders that started,
 *     or null while none has
 */
@JsonPropertyOrder({
  "total_orders",
  "status_counts",
  "average_processing_time",
  "average_queue_wait"
})
record MetricsView(
    long totalOrders,
    Map<String, Long> statusCounts,
    BigDecimal averageProcessingTime,
    BigDecimal averageQueueWait) {

  static MetricsView of(OrderStatistics statistics) {
    return new MetricsView(
        statistics.total(),
        statistics.statusCounts().byLabel(),
        statistics.meanProcessingTime().map(Wire::seconds).orElse(null),
        statistics.meanQueueWait().map(Wire::seconds).orElse(null));
  }
}
