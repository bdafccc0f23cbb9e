package dev.orderly.core.metrics;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Exact figures over every stored order, as a store keeps them: counts per status, and the sums
 * behind the mean processing time (creation to completion, over Completed orders) and the mean
 * queue wait (creation to first start, over orders that started). Immutable.
 *
 * @param processingMicros the summed processing time of all Completed orders, in microseconds
 * @param startedCount how many orders ever started processing
 * @param queueWaitMicros the summed queue wait of those orders, in microseconds
 */
public record OrderStatistics(
    StatusCounts statusCounts, long processingMicros, long startedCount, long queueWaitMicros) {

  public long total() {
    return statusCounts.total();
  }

  public long completedCount() {
    return statusCounts.of(dev.orderly.core.order.OrderStatus.COMPLETED);
  }

  /** The mean processing time of Completed orders, empty while there are none. */
  public Optional<Duration> meanProcessingTime() {
    return mean(processingMicros, completedCount());
  }

  /** The mean queue wait of orders that started, empty while there are none. */
  public Optional<Duration> meanQueueWait() {
    return mean(queueWaitMicros, startedCount);
  }

  private static Optional<Duration> mean(long sumMicros, long count) {
    if (count == 0) {
      return Optional.empty();
    }
    // Nanosecond resolution keeps a mean of micros exact enough to print to the microsecond.
    return Optional.of(Duration.of(Math.round(sumMicros * 1000.0 / count), ChronoUnit.NANOS));
  }
}
