package dev.orderly.core.metrics;

import dev.orderly.core.order.OrderStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** How many orders are in each status; every status is present, zero when none. Immutable. */
public final class StatusCounts {

  private final long[] counts;

  private StatusCounts(long[] counts) {
    this.counts = counts;
  }

  /** Counts from a map; statuses missing from it count zero. */
  public static StatusCounts of(Map<OrderStatus, Long> counts) {
    long[] values = new long[OrderStatus.values().length];
    counts.forEach((status, count) -> values[status.ordinal()] = count);
    return new StatusCounts(values);
  }

  public long of(OrderStatus status) {
    return counts[status.ordinal()];
  }

  public long total() {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }

  /** Every status with its count, in the order of {@link OrderStatus}. */
  public Map<OrderStatus, Long> asMap() {
    Map<OrderStatus, Long> map = new EnumMap<>(OrderStatus.class);
    for (OrderStatus status : OrderStatus.values()) {
      map.put(status, counts[status.ordinal()]);
    }
    return Collections.unmodifiableMap(map);
  }

  /** Every status label ({@code "Pending"}) with its count, in the order of {@link OrderStatus}. */
  public Map<String, Long> byLabel() {
    Map<String, Long> map = new LinkedHashMap<>();
    for (OrderStatus status : OrderStatus.values()) {
      map.put(status.label(), counts[status.ordinal()]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StatusCounts that && java.util.Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return byLabel().toString();
  }
}
