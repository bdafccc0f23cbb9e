package dev.orderly.server;

import dev.orderly.core.order.Order;
import dev.orderly.core.processing.OrderProcessor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The server's stand-in for real business work: it spends {@code delay} on each order and fails a
 * {@code failureRate} share of the attempts, so that a person can watch orders move through their
 * statuses and see retries. Thread-safe.
 *
 * <pre>{@code
 * OrderProcessor processor = new DemoProcessor(Duration.ofSeconds(2), 0.1);
 * }</pre>
 */
public final class DemoProcessor implements OrderProcessor {

  private final Duration delay;
  private final double failureRate;
  private final DoubleSupplier random;

  /** A processor that draws its failures from {@link ThreadLocalRandom}. */
  public DemoProcessor(Duration delay, double failureRate) {
    this(delay, failureRate, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random returns a number from 0 (inclusive) to 1 (exclusive) for each attempt; the
   *     attempt fails when it is below {@code failureRate}
   */
  DemoProcessor(Duration delay, double failureRate, DoubleSupplier random) {
    this.delay = Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be from 0 to 1, was " + failureRate);
    }
    this.failureRate = failureRate;
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Waits out the delay, then fails the attempt at random.
   *
   * @throws InterruptedException when the engine gives up on the order at shutdown: the wait ends
   *     at once, and the engine has already released the order for another node
   * @throws SimulatedFailureException for the drawn share of attempts; the engine retries them
   */
  @Override
  public void process(Order order) throws InterruptedException {
    if (!delay.isZero()) {
      // TimeUnit.sleep ends early with InterruptedException, so shutdown never waits it out.
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    }
    if (failureRate > 0 && random.getAsDouble() < failureRate) {
      throw new SimulatedFailureException(order, failureRate);
    }
  }

  @Override
  public String toString() {
    return "DemoProcessor[delay=" + delay + ", failureRate=" + failureRate + "]";
  }
}
