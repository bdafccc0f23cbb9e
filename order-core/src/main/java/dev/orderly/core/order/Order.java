package dev.orderly.core.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An order as stored: what was ordered, where it is in its life, and the facts of its processing.
 * Immutable; each move to another status is a method that checks {@link OrderStatus}'s table and
 * returns a new {@code Order}, so every store applies the same rules.
 *
 * <p>Times are kept to the microsecond, the precision PostgreSQL stores, so an order reads back
 * equal to what was written.
 *
 * @param attempts how many times the order has been claimed for processing; it only grows, and the
 *     number of the current attempt is the fencing token of its lease
 * @param startedAt when processing first started, or {@code null} if it never did
 * @param completedAt when processing ended (Completed or Failed), or {@code null}
 * @param nextAttemptAt when a Pending order becomes due, or {@code null} when it is not Pending
 * @param lastError the error of the latest failed attempt, or {@code null}
 * @param processedBy the node that claimed the order last, or {@code null}
 */
public record Order(
    OrderId orderId,
    String userId,
    List<String> itemIds,
    BigDecimal totalAmount,
    OrderStatus status,
    int attempts,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant completedAt,
    Instant nextAttemptAt,
    String lastError,
    String processedBy) {

  /** Errors are kept to this many characters. */
  public static final int MAX_ERROR_LENGTH = 2_000;

  public Order {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(userId, "userId");
    itemIds = List.copyOf(itemIds);
    Objects.requireNonNull(totalAmount, "totalAmount");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
  }

  /** A new Pending order, due at once. */
  public static Order create(NewOrder order, Instant now) {
    Instant at = micros(now);
    return new Order(
        order.orderId(),
        order.userId(),
        order.itemIds(),
        order.totalAmount(),
        OrderStatus.PENDING,
        0,
        at,
        at,
        null,
        null,
        at,
        null,
        null);
  }

  /** Whether {@code order} asks for the same thing as this order: same user, items and amount. */
  public boolean hasSameContent(NewOrder order) {
    return orderId.equals(order.orderId())
        && userId.equals(order.userId())
        && itemIds.equals(order.itemIds())
        && totalAmount.compareTo(order.totalAmount()) == 0;
  }

  /** From creation to the end of processing, once the order is Completed or Failed. */
  public Optional<Duration> processingTime() {
    return completedAt == null
        ? Optional.empty()
        : Optional.of(Duration.between(createdAt, completedAt));
  }

  /** From creation to the first start of processing, once it started. */
  public Optional<Duration> queueWait() {
    return startedAt == null
        ? Optional.empty()
        : Optional.of(Duration.between(createdAt, startedAt));
  }

  /** Pending to Processing: {@code node} takes the next attempt. */
  public Order claimed(String node, Instant now) {
    check(OrderStatus.PROCESSING);
    Instant at = micros(now);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.PROCESSING,
        attempts + 1,
        createdAt,
        at,
        startedAt == null ? at : startedAt,
        completedAt,
        null,
        lastError,
        Objects.requireNonNull(node, "node"));
  }

  /** Processing to Completed. */
  public Order completed(Instant now) {
    check(OrderStatus.COMPLETED);
    Instant at = micros(now);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.COMPLETED,
        attempts,
        createdAt,
        at,
        startedAt,
        at,
        null,
        lastError,
        processedBy);
  }

  /** Processing to Failed, for good: the engine will not try again. */
  public Order failed(String error, Instant now) {
    check(OrderStatus.FAILED);
    Instant at = micros(now);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.FAILED,
        attempts,
        createdAt,
        at,
        startedAt,
        at,
        null,
        truncate(error),
        processedBy);
  }

  /** Processing back to Pending after a failed attempt, due again at {@code nextAttempt}. */
  public Order rescheduled(String error, Instant nextAttempt, Instant now) {
    check(OrderStatus.PENDING);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.PENDING,
        attempts,
        createdAt,
        micros(now),
        startedAt,
        completedAt,
        micros(nextAttempt),
        truncate(error),
        processedBy);
  }

  /** Processing back to Pending, due at once: the holder gave the order up unfinished. */
  public Order released(Instant now) {
    check(OrderStatus.PENDING);
    Instant at = micros(now);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.PENDING,
        attempts,
        createdAt,
        at,
        startedAt,
        completedAt,
        at,
        lastError,
        processedBy);
  }

  /** Processing back to Pending because the holder's lease ran out. */
  public Order expired(Instant now) {
    return rescheduled(
        "lease of node " + processedBy + " expired on attempt " + attempts, now, now);
  }

  /** Pending to Cancelled. */
  public Order cancelled(Instant now) {
    check(OrderStatus.CANCELLED);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.CANCELLED,
        attempts,
        createdAt,
        micros(now),
        startedAt,
        completedAt,
        null,
        lastError,
        processedBy);
  }

  /**
   * Failed back to Pending, due at once, by an operator's decision. The attempt count is kept (it
   * is the lease's fencing token), so under a retry policy the order gets one more attempt.
   */
  public Order retried(Instant now) {
    if (status != OrderStatus.FAILED) {
      throw new IllegalStatusTransitionException(orderId, status, OrderStatus.PENDING);
    }
    Instant at = micros(now);
    return new Order(
        orderId,
        userId,
        itemIds,
        totalAmount,
        OrderStatus.PENDING,
        attempts,
        createdAt,
        at,
        startedAt,
        null,
        at,
        lastError,
        processedBy);
  }

  private void check(OrderStatus next) {
    if (!status.canMoveTo(next)) {
      throw new IllegalStatusTransitionException(orderId, status, next);
    }
  }

  /** Cuts {@code time} to the microsecond, the precision every store keeps. */
  public static Instant micros(Instant time) {
    return time.truncatedTo(ChronoUnit.MICROS);
  }

  private static String truncate(String error) {
    if (error == null || error.length() <= MAX_ERROR_LENGTH) {
      return error;
    }
    return error.substring(0, MAX_ERROR_LENGTH);
  }
}
