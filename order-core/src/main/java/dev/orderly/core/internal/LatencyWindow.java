package dev.orderly.core.internal;

import dev.orderly.core.metrics.LatencySummary;
import java.time.Duration;
import java.util.Arrays;

/**
 * The latest {@code capacity} latencies, and exact percentiles over them (nearest rank). Recording
 * is a few instructions under a lock; the sort happens only when someone asks. Thread-safe.
 */
public final class LatencyWindow {

  public static final int DEFAULT_CAPACITY = 8_192;

  private final long[] nanos;
  private long recorded;

  public LatencyWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.nanos = new long[capacity];
  }

  public synchronized void record(Duration latency) {
    nanos[(int) (recorded % nanos.length)] = latency.toNanos();
    recorded++;
  }

  public LatencySummary summary() {
    long[] sorted;
    synchronized (this) {
      sorted = Arrays.copyOf(nanos, (int) Math.min(recorded, nanos.length));
    }
    if (sorted.length == 0) {
      return LatencySummary.EMPTY;
    }
    Arrays.sort(sorted);
    long sum = 0;
    for (long value : sorted) {
      sum += value;
    }
    return new LatencySummary(
        sorted.length,
        Duration.ofNanos(sum / sorted.length),
        percentile(sorted, 50),
        percentile(sorted, 95),
        percentile(sorted, 99),
        Duration.ofNanos(sorted[sorted.length - 1]));
  }

  /** The nearest-rank percentile: the smallest value with at least p % of values at or below it. */
  private static Duration percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
  }
}
