package dev.orderly.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.metrics.LatencySummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exact nearest-rank percentiles over the latest latencies. */
class LatencyWindowTest {

  @Test
  void percentilesOfOneToHundredMillisecondsAreExact() {
    LatencyWindow window = new LatencyWindow(LatencyWindow.DEFAULT_CAPACITY);
    List<Integer> millis = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      millis.add(i);
    }
    // The order of recording must not matter: the window sorts when asked.
    Collections.shuffle(millis, new Random(42));
    millis.forEach(ms -> window.record(Duration.ofMillis(ms)));

    LatencySummary summary = window.summary();

    assertThat(summary)
        .isEqualTo(
            new LatencySummary(
                100,
                Duration.ofMillis(50).plusNanos(500_000),
                Duration.ofMillis(50),
                Duration.ofMillis(95),
                Duration.ofMillis(99),
                Duration.ofMillis(100)));
  }

  @Test
  void emptyWindowGivesTheEmptySummary() {
    LatencySummary summary = new LatencyWindow(16).summary();

    assertThat(summary).isEqualTo(LatencySummary.EMPTY);
    assertThat(summary.count()).isZero();
    assertThat(summary.p99()).isEqualTo(Duration.ZERO);
  }

  @Test
  void singleValueIsEveryPercentile() {
    LatencyWindow window = new LatencyWindow(16);
    window.record(Duration.ofMillis(7));

    assertThat(window.summary())
        .isEqualTo(
            new LatencySummary(
                1,
                Duration.ofMillis(7),
                Duration.ofMillis(7),
                Duration.ofMillis(7),
                Duration.ofMillis(7),
                Duration.ofMillis(7)));
  }

  @Test
  void windowKeepsOnlyTheLatestCapacityValues() {
    LatencyWindow window = new LatencyWindow(10);
    for (int ms = 1; ms <= 25; ms++) {
      window.record(Duration.ofMillis(ms));
    }

    // Only 16..25 ms remain.
    assertThat(window.summary())
        .isEqualTo(
            new LatencySummary(
                10,
                Duration.ofMillis(20).plusNanos(500_000),
                Duration.ofMillis(20),
                Duration.ofMillis(25),
                Duration.ofMillis(25),
                Duration.ofMillis(25)));
  }

  @Test
  void oldLargeValuesLeaveTheWindow() {
    LatencyWindow window = new LatencyWindow(3);
    window.record(Duration.ofSeconds(10));
    window.record(Duration.ofMillis(1));
    window.record(Duration.ofMillis(2));
    window.record(Duration.ofMillis(3));

    assertThat(window.summary().max()).isEqualTo(Duration.ofMillis(3));
    assertThat(window.summary().count()).isEqualTo(3);
  }

  @Test
  void capacityBelowOneIsRejected() {
    assertThatThrownBy(() -> new LatencyWindow(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be >= 1, was 0");
  }
}
