package dev.orderly.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The Pending backlog at one moment: how many Pending orders are due (counted up to a limit, so
 * that a huge backlog costs no more than the limit to count), and when the oldest Pending order was
 * created. Immutable.
 *
 * @param at the moment the figures describe
 * @param due how many Pending orders are due at {@code at}; at most the limit the caller gave
 * @param dueCapped whether the count stopped at the limit, so that there are at least {@code due}
 * @param oldestCreatedAt when the oldest Pending order (due or not) was created; null when none is
 *     Pending
 */
public record PendingBacklog(Instant at, long due, boolean dueCapped, Instant oldestCreatedAt) {

  /** The count limit a client uses: counting stops at 10,000 due orders. */
  public static final int DEFAULT_DUE_LIMIT = 10_000;

  public PendingBacklog {
    Objects.requireNonNull(at, "at");
    if (due < 0) {
      throw new IllegalArgumentException("due must be >= 0, was " + due);
    }
  }

  /** How long the oldest Pending order has existed at {@link #at()}; empty when none is Pending. */
  public Optional<Duration> oldestPendingAge() {
    return Optional.ofNullable(oldestCreatedAt)
        .map(created -> created.isAfter(at) ? Duration.ZERO : Duration.between(created, at));
  }
}
