package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.orderly.core.metrics.LatencySummary;
import dev.orderly.core.metrics.NodeMetrics;
import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The answer of {@code GET /metrics}: the seed's three keys first, then the store-wide backlog,
 * then this node's own figures (null on a node that runs no engine).
 *
 * @param statusCounts every status by label, zero when none
 * @param averageProcessingTime the mean seconds from creation to completion over Completed orders,
 *     or null while no order has completed
 * @param averageQueueWait the mean seconds from creation to first start over orders that started,
 *     or null while none has
 * @param processingPercentiles percentiles of creation-to-completion seconds over this node's
 *     recent completions
 * @param queueWaitPercentiles percentiles of creation-to-first-start seconds over this node's
 *     recent starts
 * @param ordersPerSecond orders this node completed per second over the last minute
 * @param duePending Pending orders due now, counted up to 10,000
 * @param duePendingCapped whether the count stopped at 10,000: there are at least that many
 * @param oldestPendingAge seconds since the oldest Pending order was created, null when none
 * @param inFlight orders this node is processing now
 * @param retries attempts on this node that failed and were rescheduled
 * @param failures orders that failed for good on this node
 */
@JsonPropertyOrder({
  "total_orders",
  "status_counts",
  "average_processing_time",
  "average_queue_wait",
  "processing_percentiles",
  "queue_wait_percentiles",
  "orders_per_second",
  "due_pending",
  "due_pending_capped",
  "oldest_pending_age",
  "in_flight",
  "retries",
  "failures",
  "node"
})
record MetricsView(
    long totalOrders,
    Map<String, Long> statusCounts,
    BigDecimal averageProcessingTime,
    BigDecimal averageQueueWait,
    LatencyView processingPercentiles,
    LatencyView queueWaitPercentiles,
    BigDecimal ordersPerSecond,
    long duePending,
    boolean duePendingCapped,
    BigDecimal oldestPendingAge,
    Integer inFlight,
    Long retries,
    Long failures,
    NodeView node) {

  /** Rates are shown to the thousandth of an order per second. */
  private static final int RATE_SCALE = 3;

  /**
   * @param node this node's figures, or null on a node without an engine
   */
  static MetricsView of(OrderStatistics statistics, PendingBacklog backlog, NodeMetrics node) {
    return new MetricsView(
        statistics.total(),
        statistics.statusCounts().byLabel(),
        statistics.meanProcessingTime().map(Wire::seconds).orElse(null),
        statistics.meanQueueWait().map(Wire::seconds).orElse(null),
        node == null ? null : LatencyView.of(node.processingTime()),
        node == null ? null : LatencyView.of(node.queueWait()),
        node == null
            ? null
            : BigDecimal.valueOf(node.throughputPerSecond())
                .setScale(RATE_SCALE, RoundingMode.HALF_UP),
        backlog.due(),
        backlog.dueCapped(),
        backlog.oldestPendingAge().map(Wire::seconds).orElse(null),
        node == null ? null : node.inFlight(),
        node == null ? null : node.retried(),
        node == null ? null : node.failed(),
        node == null ? null : NodeView.of(node));
  }

  /**
   * Nearest-rank percentiles in seconds over the latest 8,192 measurements of this node, all zero
   * while {@code count} is zero.
   */
  @JsonPropertyOrder({"count", "p50", "p95", "p99", "max"})
  record LatencyView(long count, BigDecimal p50, BigDecimal p95, BigDecimal p99, BigDecimal max) {

    static LatencyView of(LatencySummary summary) {
      return new LatencyView(
          summary.count(),
          Wire.seconds(summary.p50()),
          Wire.seconds(summary.p95()),
          Wire.seconds(summary.p99()),
          Wire.seconds(summary.max()));
    }
  }

  /** This node: its id, and what its workers finished since it started. */
  @JsonPropertyOrder({"id", "completed", "failed", "retried", "in_flight"})
  record NodeView(String id, long completed, long failed, long retried, int inFlight) {

    static NodeView of(NodeMetrics node) {
      return new NodeView(
          node.nodeId(), node.completed(), node.failed(), node.retried(), node.inFlight());
    }
  }
}
