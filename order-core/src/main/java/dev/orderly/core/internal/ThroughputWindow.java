package dev.orderly.core.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * Counts events per second of a clock over the last {@code seconds} seconds, for a rate that a
 * stepped test clock can check exactly. Thread-safe.
 */
public final class ThroughputWindow {

  private final Clock clock;
  private final long[] secondOf;
  private final long[] countOf;

  public ThroughputWindow(Clock clock, int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("seconds must be >= 1, was " + seconds);
    }
    this.clock = clock;
    this.secondOf = new long[seconds];
    this.countOf = new long[seconds];
  }

  public synchronized void record() {
    long second = clock.instant().getEpochSecond();
    int slot = (int) Math.floorMod(second, secondOf.length);
    if (secondOf[slot] != second) {
      secondOf[slot] = second;
      countOf[slot] = 0;
    }
    countOf[slot]++;
  }

  /** Events per second over the window that ends with the current second. */
  public synchronized double perSecond() {
    Instant now = clock.instant();
    long oldest = now.getEpochSecond() - secondOf.length + 1;
    long total = 0;
    for (int slot = 0; slot < secondOf.length; slot++) {
      if (secondOf[slot] >= oldest && secondOf[slot] <= now.getEpochSecond()) {
        total += countOf[slot];
      }
    }
    return (double) total / secondOf.length;
  }
}
