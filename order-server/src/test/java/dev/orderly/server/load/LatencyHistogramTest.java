package dev.orderly.server.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void anEmptyHistogramAnswersZero() {
    LatencyHistogram histogram = new LatencyHistogram();

    assertThat(histogram.count()).isZero();
    assertThat(histogram.percentile(50)).isZero();
    assertThat(histogram.max()).isZero();
    assertThat(histogram.min()).isZero();
  }

  @Test
  void smallValuesAreExactByTheNearestRankRule() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int value = 1; value <= 100; value++) {
      histogram.record(value);
    }

    assertThat(histogram.percentile(0)).isEqualTo(1);
    assertThat(histogram.percentile(1)).isEqualTo(1);
    assertThat(histogram.percentile(50)).isEqualTo(50);
    assertThat(histogram.percentile(50.5)).isEqualTo(51);
    assertThat(histogram.percentile(90)).isEqualTo(90);
    assertThat(histogram.percentile(99)).isEqualTo(99);
    assertThat(histogram.percentile(100)).isEqualTo(100);
    assertThat(histogram.mean()).isEqualTo(50.5);
  }

  @Test
  void aSkewedDistributionGivesItsTailExactly() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < 990; i++) {
      histogram.record(10);
    }
    for (int i = 0; i < 10; i++) {
      histogram.record(200);
    }

    assertThat(histogram.percentile(50)).isEqualTo(10);
    assertThat(histogram.percentile(99)).isEqualTo(10);
    assertThat(histogram.percentile(99.1)).isEqualTo(200);
    assertThat(histogram.max()).isEqualTo(200);
  }

  @Test
  void bucketLowerBoundsAreReportedExactlyAndMaxIsExact() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(1_000_000); // 1 ms
    histogram.record(3_000_000);
    histogram.record(123_456_789);

    // The answer is the top of the value's bucket, at most 1/128 above it.
    assertThat(histogram.percentile(30)).isBetween(1_000_000L, 1_000_000L + 1_000_000L / 128);
    assertThat(histogram.percentile(60)).isBetween(3_000_000L, 3_000_000L + 3_000_000L / 128);
    assertThat(histogram.percentile(100)).isEqualTo(123_456_789);
    assertThat(histogram.max()).isEqualTo(123_456_789);
    assertThat(histogram.min()).isEqualTo(1_000_000);
  }

  @Test
  void everyValueIsWithinOnePercentAcrossTheRange() {
    Random random = new Random(42);
    for (int i = 0; i < 1_000_000; i++) {
      long value = (long) Math.exp(random.nextDouble() * Math.log(1e12));
      long top = LatencyHistogram.highestIn(LatencyHistogram.indexOf(value));
      assertThat(top).isGreaterThanOrEqualTo(value);
      assertThat(top - value).isLessThanOrEqualTo(value / 100);
    }
  }

  @Test
  void everyPercentileIsWithinOnePercentOfTheExactOne() {
    Random random = new Random(7);
    long[] values = new long[10_000];
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(random.nextDouble() * Math.log(1e10));
      histogram.record(values[i]);
    }
    Arrays.sort(values);
    for (double percentile = 0.5; percentile <= 100; percentile += 0.5) {
      long exact = values[(int) Math.ceil(percentile / 100 * values.length) - 1];
      assertThat(histogram.percentile(percentile))
          .as("p%s", percentile)
          .isBetween(exact, exact + exact / 100);
    }
  }

  @Test
  void bucketsAreContiguousAndIncreasing() {
    long previousTop = -1;
    for (long value = 0; value < 5_000_000; value = value < 1_000 ? value + 1 : value + 997) {
      int index = LatencyHistogram.indexOf(value);
      long top = LatencyHistogram.highestIn(index);
      assertThat(top).isGreaterThanOrEqualTo(value);
      assertThat(top).isGreaterThanOrEqualTo(previousTop);
      if (index > 0) {
        assertThat(LatencyHistogram.highestIn(index - 1)).isLessThan(value);
      }
      previousTop = top;
    }
  }

  @Test
  void hugeValuesLandInTheLastBucketWithAnExactMax() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(Long.MAX_VALUE);
    histogram.record(-5);

    assertThat(histogram.percentile(100)).isEqualTo(Long.MAX_VALUE);
    assertThat(histogram.percentile(50)).isZero();
  }

  @Test
  void mergedHistogramsCountEveryValue() {
    LatencyHistogram first = new LatencyHistogram();
    LatencyHistogram second = new LatencyHistogram();
    for (int value = 1; value <= 50; value++) {
      first.record(value);
      second.record(value + 50);
    }

    first.add(second);

    assertThat(first.count()).isEqualTo(100);
    assertThat(first.percentile(50)).isEqualTo(50);
    assertThat(first.percentile(99)).isEqualTo(99);
    assertThat(first.min()).isEqualTo(1);
    assertThat(first.max()).isEqualTo(100);
  }

  @Test
  void aPercentileOutsideZeroToHundredIsRefused() {
    LatencyHistogram histogram = new LatencyHistogram();

    assertThatThrownBy(() -> histogram.percentile(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("101");
  }
}
