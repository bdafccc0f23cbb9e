package dev.orderly.core.internal;

import dev.orderly.core.metrics.NodeMetrics;
import dev.orderly.core.order.Order;
import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

/** What one engine measures of its own work. Thread-safe. */
public final class NodeStats {

  private static final int THROUGHPUT_WINDOW_SECONDS = 60;

  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LatencyWindow processingTime = new LatencyWindow(LatencyWindow.DEFAULT_CAPACITY);
  private final LatencyWindow queueWait = new LatencyWindow(LatencyWindow.DEFAULT_CAPACITY);
  private final ThroughputWindow throughput;

  public NodeStats(Clock clock) {
    this.throughput = new ThroughputWindow(clock, THROUGHPUT_WINDOW_SECONDS);
  }

  /** An attempt starts; the first attempt of an order ends its queue wait. */
  void started(Order order) {
    if (order.attempts() == 1) {
      order.queueWait().ifPresent(queueWait::record);
    }
  }

  void completed(Order order) {
    completed.increment();
    order.processingTime().ifPresent(processingTime::record);
    throughput.record();
  }

  void failed() {
    failed.increment();
  }

  void retried() {
    retried.increment();
  }

  public NodeMetrics snapshot(String nodeId, int inFlight) {
    return new NodeMetrics(
        nodeId,
        completed.sum(),
        failed.sum(),
        retried.sum(),
        inFlight,
        processingTime.summary(),
        queueWait.summary(),
        throughput.perSecond());
  }
}
