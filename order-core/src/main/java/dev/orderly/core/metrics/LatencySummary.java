package dev.orderly.core.metrics;

import java.time.Duration;

/**
 * Percentiles of a latency over a window of recent orders. {@link #EMPTY} while nothing was
 * measured, with every duration zero.
 *
 * @param count how many measurements the figures describe
 */
public record LatencySummary(
    long count, Duration mean, Duration p50, Duration p95, Duration p99, Duration max) {

  public static final LatencySummary EMPTY =
      new LatencySummary(
          0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
