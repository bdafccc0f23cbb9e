package dev.orderly.core.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backoff schedule of {@link RetryPolicy}, its jitter, and how it validates its options. */
class RetryPolicyTest {

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  @Test
  void withoutJitterTheDelayDoublesFromTheInitialDelayUpToTheMaximum() {
    RetryPolicy policy = new RetryPolicy(20, ONE_SECOND, Duration.ofSeconds(60), 2.0, 0.0);

    List<Duration> delays =
        IntStream.rangeClosed(1, 9).mapToObj(attempt -> policy.delayAfter(attempt, 0.0)).toList();

    assertThat(delays)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(32),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
  }

  @Test
  void withoutJitterTheRandomNumberChangesNothing() {
    RetryPolicy policy = new RetryPolicy(5, ONE_SECOND, Duration.ofSeconds(60), 2.0, 0.0);

    assertThat(policy.delayAfter(3, 0.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayAfter(3, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayAfter(3, 0.999)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void defaultScheduleWithoutJitterReachesFiveMinutesAndStaysThere() {
    RetryPolicy policy = RetryPolicy.defaults().withJitter(0.0);

    assertThat(policy.delayAfter(1, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayAfter(9, 0.0)).isEqualTo(Duration.ofSeconds(256));
    assertThat(policy.delayAfter(10, 0.0)).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.delayAfter(100, 0.0)).isEqualTo(Duration.ofMinutes(5));
    // 2^2000 overflows a double to infinity; the cap must still hold.
    assertThat(policy.delayAfter(2_000, 0.0)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void otherMultipliersScaleTheDelay() {
    RetryPolicy tripling =
        new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(10), 3.0, 0.0);
    RetryPolicy constant = tripling.withMultiplier(1.0);

    assertThat(tripling.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(tripling.delayAfter(2, 0.0)).isEqualTo(Duration.ofMillis(300));
    assertThat(tripling.delayAfter(3, 0.0)).isEqualTo(Duration.ofMillis(900));
    assertThat(constant.delayAfter(4, 0.0)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void jitterOfTwentyPercentWithHalfRandomTakesTenPercentOff() {
    RetryPolicy policy = new RetryPolicy(5, ONE_SECOND, Duration.ofSeconds(60), 2.0, 0.2);

    assertThat(policy.delayAfter(1, 0.5)).isEqualTo(Duration.ofMillis(900));
    assertThat(policy.delayAfter(3, 0.5)).isEqualTo(Duration.ofMillis(3_600));
    assertThat(policy.delayAfter(3, 0.0)).isEqualTo(Duration.ofSeconds(4));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 0.999999})
  void jitterOfTwentyPercentKeepsTheDelayAboveEightyPercentAndAtMostTheBase(double random) {
    RetryPolicy policy = new RetryPolicy(5, ONE_SECOND, Duration.ofSeconds(60), 2.0, 0.2);

    Duration delay = policy.delayAfter(3, random);

    assertThat(delay)
        .isGreaterThan(Duration.ofMillis(3_200))
        .isLessThanOrEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void jitterAppliesToTheCappedDelay() {
    RetryPolicy policy = new RetryPolicy(10, ONE_SECOND, Duration.ofSeconds(10), 2.0, 0.2);

    assertThat(policy.delayAfter(8, 0.5)).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void delayRejectsAttemptsBelowOne() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertThatThrownBy(() -> policy.delayAfter(0, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt must be >= 1, was 0");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
  void delayRejectsRandomNumbersOutsideZeroToOne(double random) {
    RetryPolicy policy = RetryPolicy.defaults();

    assertThatThrownBy(() -> policy.delayAfter(1, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("random must be in [0, 1), was " + random);
  }

  @Test
  void retryIsAllowedUntilTheLastAttemptFailed() {
    RetryPolicy policy = RetryPolicy.exponential(3, ONE_SECOND, Duration.ofMinutes(1));

    assertThat(policy.allowsRetryAfter(1)).isTrue();
    assertThat(policy.allowsRetryAfter(2)).isTrue();
    assertThat(policy.allowsRetryAfter(3)).isFalse();
    assertThat(policy.allowsRetryAfter(4)).isFalse();
  }

  @Test
  void noRetriesMakesTheFirstFailureFinal() {
    RetryPolicy policy = RetryPolicy.noRetries();

    assertThat(policy.maxAttempts()).isEqualTo(1);
    assertThat(policy.allowsRetryAfter(1)).isFalse();
  }

  @Test
  void defaultsAreFiveAttemptsFromOneSecondUpToFiveMinutesWithTwentyPercentJitter() {
    assertThat(RetryPolicy.defaults())
        .isEqualTo(new RetryPolicy(5, ONE_SECOND, Duration.ofMinutes(5), 2.0, 0.2));
    assertThat(RetryPolicy.exponential(7, Duration.ofMillis(10), Duration.ofSeconds(1)))
        .isEqualTo(new RetryPolicy(7, Duration.ofMillis(10), Duration.ofSeconds(1), 2.0, 0.2));
  }

  @Test
  void maxAttemptsOfZeroIsRejected() {
    assertThatThrownBy(() -> RetryPolicy.exponential(0, ONE_SECOND, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was 0");
  }

  @Test
  void negativeInitialDelayIsRejected() {
    assertThatThrownBy(
            () -> RetryPolicy.exponential(3, Duration.ofSeconds(-1), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialDelay must be positive, was PT-1S");
  }

  @Test
  void zeroMaxDelayIsRejected() {
    assertThatThrownBy(() -> RetryPolicy.exponential(3, ONE_SECOND, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDelay must be positive, was PT0S");
  }

  @Test
  void missingDelayIsRejectedNamingTheOption() {
    assertThatThrownBy(() -> RetryPolicy.exponential(3, null, Duration.ofMinutes(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("initialDelay");
  }

  @Test
  void maxDelayBelowTheInitialDelayIsRejected() {
    assertThatThrownBy(
            () -> RetryPolicy.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDelay must be >= initialDelay (PT2S), was PT1S");
  }

  @Test
  void jitterAboveOneIsRejected() {
    assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be between 0 and 1, was 1.5");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, Double.NaN})
  void negativeOrUndefinedJitterIsRejected(double jitter) {
    assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(jitter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be between 0 and 1, was " + jitter);
  }

  @Test
  void multiplierBelowOneIsRejected() {
    assertThatThrownBy(() -> RetryPolicy.defaults().withMultiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be >= 1, was 0.5");
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY})
  void undefinedOrInfiniteMultiplierIsRejected(double multiplier) {
    assertThatThrownBy(() -> RetryPolicy.defaults().withMultiplier(multiplier))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be >= 1, was " + multiplier);
  }

  @Test
  void jitterAndMultiplierAtTheirBoundsAreAccepted() {
    RetryPolicy policy = RetryPolicy.defaults().withJitter(1.0).withMultiplier(1.0);

    assertThat(policy.jitter()).isEqualTo(1.0);
    assertThat(policy.multiplier()).isEqualTo(1.0);
    assertThat(policy.delayAfter(1, 0.5)).isEqualTo(Duration.ofMillis(500));
  }
}
