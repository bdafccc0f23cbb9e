package dev.orderly.core.processing;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how soon a failed order is tried again: exponential backoff with jitter, up to a
 * number of attempts. Immutable and thread-safe.
 *
 * <p>The delay after failed attempt {@code n} (counting from 1) is {@code initialDelay *
 * multiplier^(n-1)}, capped at {@code maxDelay}, then shortened by a random share of at most {@code
 * jitter} so that orders that failed together do not all come back together.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofMinutes(5));
 * }</pre>
 *
 * @param maxAttempts attempts in all, the first included; 1 means never retry
 * @param jitter the largest share of a delay that is taken off at random, 0 to 1
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final double DEFAULT_JITTER = 0.2;

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    requirePositive("initialDelay", initialDelay);
    requirePositive("maxDelay", maxDelay);
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay must be >= initialDelay (" + initialDelay + "), was " + maxDelay);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
  }

  /** Five attempts, 1 s doubling up to 5 min, 20 % jitter. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_INITIAL_DELAY,
        DEFAULT_MAX_DELAY,
        DEFAULT_MULTIPLIER,
        DEFAULT_JITTER);
  }

  /** Doubling delays from {@code initialDelay} up to {@code maxDelay}, with 20 % jitter. */
  public static RetryPolicy exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    return new RetryPolicy(maxAttempts, initialDelay, maxDelay, DEFAULT_MULTIPLIER, DEFAULT_JITTER);
  }

  /** One attempt only: the first failure is final. */
  public static RetryPolicy noRetries() {
    return new RetryPolicy(
        1, DEFAULT_INITIAL_DELAY, DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_JITTER);
  }

  public RetryPolicy withJitter(double jitter) {
    return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter);
  }

  public RetryPolicy withMultiplier(double multiplier) {
    return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter);
  }

  /** Whether an order whose attempt {@code attempt} just failed may be tried again. */
  public boolean allowsRetryAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The delay before the attempt that follows failed attempt {@code attempt}.
   *
   * @param random a number in {@code [0, 1)} that picks the jitter
   */
  public Duration delayAfter(int attempt, double random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    if (!(random >= 0.0 && random < 1.0)) {
      throw new IllegalArgumentException("random must be in [0, 1), was " + random);
    }
    double base = initialDelay.toNanos() * Math.pow(multiplier, attempt - 1);
    double capped = Math.min(base, maxDelay.toNanos());
    return Duration.ofNanos(Math.round(capped * (1.0 - jitter * random)));
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
