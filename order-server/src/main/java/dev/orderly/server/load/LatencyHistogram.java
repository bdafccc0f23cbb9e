package dev.orderly.server.load;

import java.time.Duration;

/**
 * A log-linear histogram of durations in nanoseconds, exact below 256 ns and within 1/128 (0.8 %)
 * above, up to about 18 minutes; longer values land in the last bucket while {@link #max()} stays
 * exact. It records every value in one {@code long[]} of 4,352 counters (34 KB), so recording costs
 * a few instructions and no allocation. Not thread-safe: each I/O thread keeps its own and the
 * results are {@linkplain #add merged} at the end.
 *
 * <p>Layout (like HdrHistogram with 128 sub-buckets): values below 256 have a bucket each; a value
 * whose highest set bit is {@code e >= 8} falls into one of 128 equal buckets covering {@code [2^e,
 * 2^(e+1))}, each {@code 2^(e-7)} wide.
 */
final class LatencyHistogram {

  private static final int SUB_BUCKET_BITS = 7;
  private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
  private static final int LINEAR_LIMIT = 2 * SUB_BUCKETS;
  private static final int LINEAR_BITS = SUB_BUCKET_BITS + 1;

  /** Values at or above 2^40 ns (about 18 minutes) share the last bucket. */
  private static final int MAX_EXPONENT = 40;

  private static final int BUCKETS = LINEAR_LIMIT + (MAX_EXPONENT - LINEAR_BITS) * SUB_BUCKETS;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  /** Records one duration in nanoseconds; a negative value counts as 0. */
  void record(long nanos) {
    long value = Math.max(0, nanos);
    counts[indexOf(value)]++;
    count++;
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }

  /** Adds every value recorded in {@code other} to this one. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    sum += other.sum;
  }

  long count() {
    return count;
  }

  /** The largest value recorded, exactly; 0 when empty. */
  long max() {
    return max;
  }

  /** The smallest value recorded, exactly; 0 when empty. */
  long min() {
    return count == 0 ? 0 : min;
  }

  double mean() {
    return count == 0 ? 0 : sum / count;
  }

  /**
   * The value at {@code percentile} (0 to 100) by the nearest-rank rule: the smallest recorded
   * value that at least {@code percentile} % of the values do not exceed. The answer is the upper
   * end of that value's bucket, clamped to the exact minimum and maximum, so it is exact below 256
   * ns and never more than 0.8 % above the true value. 0 when empty.
   */
  long percentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be from 0 to 100, was " + percentile);
    }
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.max(min, Math.min(max, highestIn(i)));
      }
    }
    return max;
  }

  Duration percentileDuration(double percentile) {
    return Duration.ofNanos(percentile(percentile));
  }

  static int indexOf(long value) {
    if (value < LINEAR_LIMIT) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    if (exponent >= MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int shift = exponent - SUB_BUCKET_BITS;
    int sub = (int) (value >>> shift) - SUB_BUCKETS;
    return LINEAR_LIMIT + (exponent - LINEAR_BITS) * SUB_BUCKETS + sub;
  }

  /** The largest value that falls into bucket {@code index}. */
  static long highestIn(int index) {
    if (index < LINEAR_LIMIT) {
      return index;
    }
    if (index == BUCKETS - 1) {
      return Long.MAX_VALUE;
    }
    int offset = index - LINEAR_LIMIT;
    int exponent = offset / SUB_BUCKETS + LINEAR_BITS;
    int sub = offset % SUB_BUCKETS;
    int shift = exponent - SUB_BUCKET_BITS;
    long lowest = (long) (SUB_BUCKETS + sub) << shift;
    return lowest + (1L << shift) - 1;
  }
}
