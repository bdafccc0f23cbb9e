package dev.orderly.server.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts errors by kind ({@code http_500}, {@code timeout}, {@code connection_reset}, ...).
 * Thread-safe: the I/O threads count while the progress display reads.
 */
final class ErrorCounts {

  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();

  void count(String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    total.increment();
  }

  long total() {
    return total.sum();
  }

  long get(String kind) {
    LongAdder adder = counts.get(kind);
    return adder == null ? 0 : adder.sum();
  }

  /** A snapshot, sorted by kind. */
  Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((kind, adder) -> snapshot.put(kind, adder.sum()));
    return snapshot;
  }
}
