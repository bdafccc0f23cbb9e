package dev.orderly.core.order;

import static dev.orderly.core.testing.OrderFixtures.anOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** The life of an {@link Order}: each move checks the status table and records its facts. */
class OrderTest {

  /** A creation time with nanoseconds, which an order keeps only to the microsecond. */
  private static final Instant CREATED = Instant.parse("2025-03-02T14:15:44.123456789Z");

  private static final Instant CREATED_MICROS = Instant.parse("2025-03-02T14:15:44.123456Z");
  private static final Instant T1 = Instant.parse("2025-03-02T14:15:45.000001999Z");
  private static final Instant T1_MICROS = Instant.parse("2025-03-02T14:15:45.000001Z");
  private static final Instant T2 = Instant.parse("2025-03-02T14:15:47.5Z");
  private static final Instant T3 = Instant.parse("2025-03-02T14:16:00Z");
  private static final Instant T4 = Instant.parse("2025-03-02T14:17:00Z");

  private final NewOrder newOrder =
      anOrder().withId("order-42").withUser("user-7").withItems("sku-1", "sku-2").build();

  // --- create ---

  @Test
  void createdOrderIsPendingWithNoAttemptsAndDueAtOnce() {
    Order order = Order.create(newOrder, CREATED);

    assertThat(order.orderId()).isEqualTo(OrderId.of("order-42"));
    assertThat(order.userId()).isEqualTo("user-7");
    assertThat(order.itemIds()).containsExactly("sku-1", "sku-2");
    assertThat(order.totalAmount()).isEqualTo(new BigDecimal("19.99"));
    assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(order.attempts()).isZero();
    assertThat(order.nextAttemptAt()).isEqualTo(order.createdAt());
    assertThat(order.updatedAt()).isEqualTo(order.createdAt());
    assertThat(order.startedAt()).isNull();
    assertThat(order.completedAt()).isNull();
    assertThat(order.lastError()).isNull();
    assertThat(order.processedBy()).isNull();
    assertThat(order.processingTime()).isEmpty();
    assertThat(order.queueWait()).isEmpty();
  }

  @Test
  void createdOrderKeepsTimesToTheMicrosecond() {
    Order order = Order.create(newOrder, CREATED);

    assertThat(order.createdAt()).isEqualTo(CREATED_MICROS);
    assertThat(order.updatedAt()).isEqualTo(CREATED_MICROS);
    assertThat(order.nextAttemptAt()).isEqualTo(CREATED_MICROS);
  }

  @Test
  void microsCutsNanosecondsOff() {
    assertThat(Order.micros(CREATED)).isEqualTo(CREATED_MICROS);
    assertThat(Order.micros(CREATED_MICROS)).isEqualTo(CREATED_MICROS);
  }

  // --- claimed ---

  @Test
  void claimingStartsTheFirstAttempt() {
    Order claimed = pending().claimed("node-a", T1);

    assertThat(claimed.status()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(claimed.attempts()).isEqualTo(1);
    assertThat(claimed.startedAt()).isEqualTo(T1_MICROS);
    assertThat(claimed.updatedAt()).isEqualTo(T1_MICROS);
    assertThat(claimed.processedBy()).isEqualTo("node-a");
    assertThat(claimed.nextAttemptAt()).isNull();
    assertThat(claimed.createdAt()).isEqualTo(CREATED_MICROS);
    assertThat(claimed.queueWait()).contains(Duration.between(CREATED_MICROS, T1_MICROS));
  }

  @Test
  void claimingAgainCountsTheAttemptButKeepsTheFirstStart() {
    Order second =
        pending().claimed("node-a", T1).rescheduled("timeout", T3, T2).claimed("node-b", T4);

    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.startedAt()).isEqualTo(T1_MICROS);
    assertThat(second.updatedAt()).isEqualTo(T4);
    assertThat(second.processedBy()).isEqualTo("node-b");
    assertThat(second.lastError()).isEqualTo("timeout");
  }

  // --- completed, failed ---

  @Test
  void completingRecordsWhenProcessingEnded() {
    Order completed = processing().completed(T2);

    assertThat(completed.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(completed.completedAt()).isEqualTo(T2);
    assertThat(completed.updatedAt()).isEqualTo(T2);
    assertThat(completed.attempts()).isEqualTo(1);
    assertThat(completed.processedBy()).isEqualTo("node-a");
    assertThat(completed.nextAttemptAt()).isNull();
    assertThat(completed.processingTime()).contains(Duration.between(CREATED_MICROS, T2));
    assertThat(completed.processingTime()).contains(Duration.ofNanos(3_376_544_000L));
  }

  @Test
  void failingRecordsTheErrorAndWhenProcessingEnded() {
    Order failed = processing().failed("card declined", T2);

    assertThat(failed.status()).isEqualTo(OrderStatus.FAILED);
    assertThat(failed.lastError()).isEqualTo("card declined");
    assertThat(failed.completedAt()).isEqualTo(T2);
    assertThat(failed.updatedAt()).isEqualTo(T2);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.nextAttemptAt()).isNull();
    assertThat(failed.processingTime()).contains(Duration.between(CREATED_MICROS, T2));
  }

  // --- back to Pending ---

  @Test
  void reschedulingMakesTheOrderPendingAndDueLater() {
    Instant next = Instant.parse("2025-03-02T14:16:00.000000777Z");
    Order rescheduled = processing().rescheduled("timeout", next, T2);

    assertThat(rescheduled.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(rescheduled.nextAttemptAt()).isEqualTo(T3);
    assertThat(rescheduled.updatedAt()).isEqualTo(T2);
    assertThat(rescheduled.lastError()).isEqualTo("timeout");
    assertThat(rescheduled.attempts()).isEqualTo(1);
    assertThat(rescheduled.startedAt()).isEqualTo(T1_MICROS);
    assertThat(rescheduled.completedAt()).isNull();
  }

  @Test
  void releasingMakesTheOrderPendingAndDueAtOnce() {
    Order released = processing().released(T2);

    assertThat(released.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(released.nextAttemptAt()).isEqualTo(T2);
    assertThat(released.updatedAt()).isEqualTo(T2);
    assertThat(released.attempts()).isEqualTo(1);
    assertThat(released.lastError()).isNull();
  }

  @Test
  void expiringMakesTheOrderPendingAndNamesTheNodeWhoseLeaseRanOut() {
    Order expired = processing().expired(T2);

    assertThat(expired.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(expired.nextAttemptAt()).isEqualTo(T2);
    assertThat(expired.updatedAt()).isEqualTo(T2);
    assertThat(expired.attempts()).isEqualTo(1);
    assertThat(expired.lastError()).isEqualTo("lease of node node-a expired on attempt 1");
  }

  @Test
  void cancellingAPendingOrderEndsIt() {
    Order cancelled = pending().cancelled(T2);

    assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(cancelled.updatedAt()).isEqualTo(T2);
    assertThat(cancelled.nextAttemptAt()).isNull();
    assertThat(cancelled.attempts()).isZero();
  }

  // --- retried ---

  @Test
  void retryingAFailedOrderMakesItPendingAndDueAtOnce() {
    Order retried = processing().failed("card declined", T2).retried(T3);

    assertThat(retried.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(retried.nextAttemptAt()).isEqualTo(T3);
    assertThat(retried.updatedAt()).isEqualTo(T3);
    assertThat(retried.completedAt()).isNull();
    assertThat(retried.processingTime()).isEmpty();
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.startedAt()).isEqualTo(T1_MICROS);
    assertThat(retried.lastError()).isEqualTo("card declined");
  }

  @Test
  void retryingACompletedOrderIsIllegal() {
    Order completed = processing().completed(T2);

    IllegalStatusTransitionException error = illegal(() -> completed.retried(T3));

    assertThat(error.orderId()).isEqualTo(OrderId.of("order-42"));
    assertThat(error.from()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(error.to()).isEqualTo(OrderStatus.PENDING);
  }

  @Test
  void retryingAPendingOrderIsIllegal() {
    Order pending = pending();

    IllegalStatusTransitionException error = illegal(() -> pending.retried(T3));

    assertThat(error.from()).isEqualTo(OrderStatus.PENDING);
    assertThat(error.to()).isEqualTo(OrderStatus.PENDING);
  }

  @Test
  void retryingAProcessingOrderIsIllegal() {
    Order processing = processing();

    IllegalStatusTransitionException error = illegal(() -> processing.retried(T3));

    assertThat(error.from()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(error.to()).isEqualTo(OrderStatus.PENDING);
  }

  // --- illegal transitions ---

  @Test
  void pendingOrderCannotBeCompleted() {
    Order pending = pending();

    IllegalStatusTransitionException error = illegal(() -> pending.completed(T2));

    assertThat(error.orderId()).isEqualTo(OrderId.of("order-42"));
    assertThat(error.from()).isEqualTo(OrderStatus.PENDING);
    assertThat(error.to()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(error).hasMessage("order order-42 cannot move from Pending to Completed");
  }

  @Test
  void processingOrderCannotBeCancelled() {
    Order processing = processing();

    IllegalStatusTransitionException error = illegal(() -> processing.cancelled(T2));

    assertThat(error.from()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(error.to()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(error).hasMessage("order order-42 cannot move from Processing to Cancelled");
  }

  @Test
  void completedOrderCannotBeClaimed() {
    Order completed = processing().completed(T2);

    IllegalStatusTransitionException error = illegal(() -> completed.claimed("node-b", T3));

    assertThat(error.from()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(error.to()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(error).hasMessage("order order-42 cannot move from Completed to Processing");
  }

  @Test
  void processingOrderCannotBeClaimedTwice() {
    Order processing = processing();

    IllegalStatusTransitionException error = illegal(() -> processing.claimed("node-b", T2));

    assertThat(error.from()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(error.to()).isEqualTo(OrderStatus.PROCESSING);
  }

  @Test
  void pendingOrderCannotFailReleaseOrExpire() {
    Order pending = pending();

    assertThat(illegal(() -> pending.failed("boom", T2)).to()).isEqualTo(OrderStatus.FAILED);
    assertThat(illegal(() -> pending.released(T2)).to()).isEqualTo(OrderStatus.PENDING);
    assertThat(illegal(() -> pending.expired(T2)).to()).isEqualTo(OrderStatus.PENDING);
    assertThat(illegal(() -> pending.rescheduled("boom", T3, T2)).from())
        .isEqualTo(OrderStatus.PENDING);
  }

  @Test
  void cancelledOrderCannotBeCancelledAgain() {
    Order cancelled = pending().cancelled(T2);

    IllegalStatusTransitionException error = illegal(() -> cancelled.cancelled(T3));

    assertThat(error.from()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(error.to()).isEqualTo(OrderStatus.CANCELLED);
  }

  // --- hasSameContent ---

  @Test
  void sameAmountWithOtherScaleIsTheSameContent() {
    Order order = Order.create(NewOrder.of("11", "user-7", List.of("sku-1"), bd("100")), CREATED);

    assertThat(order.hasSameContent(NewOrder.of("11", "user-7", List.of("sku-1"), bd("100.00"))))
        .isTrue();
    assertThat(order.hasSameContent(NewOrder.of("11", "user-7", List.of("sku-1"), bd("100.0"))))
        .isTrue();
  }

  @Test
  void contentIsTheSameWhateverTheStatus() {
    NewOrder same = NewOrder.of("11", "user-7", List.of("sku-1"), bd("100"));
    Order completed = Order.create(same, CREATED).claimed("node-a", T1).completed(T2);

    assertThat(completed.hasSameContent(same)).isTrue();
  }

  @Test
  void otherItemsAreOtherContent() {
    Order order = Order.create(NewOrder.of("11", "user-7", List.of("sku-1"), bd("100")), CREATED);

    assertThat(order.hasSameContent(NewOrder.of("11", "user-7", List.of("sku-2"), bd("100"))))
        .isFalse();
    assertThat(
            order.hasSameContent(NewOrder.of("11", "user-7", List.of("sku-1", "sku-1"), bd("100"))))
        .isFalse();
  }

  @Test
  void itemsInAnotherOrderAreOtherContent() {
    Order order =
        Order.create(NewOrder.of("11", "user-7", List.of("sku-1", "sku-2"), bd("1")), CREATED);

    assertThat(
            order.hasSameContent(NewOrder.of("11", "user-7", List.of("sku-2", "sku-1"), bd("1"))))
        .isFalse();
  }

  @Test
  void otherUserAmountOrIdIsOtherContent() {
    Order order = Order.create(NewOrder.of("11", "user-7", List.of("sku-1"), bd("100")), CREATED);

    assertThat(order.hasSameContent(NewOrder.of("11", "user-8", List.of("sku-1"), bd("100"))))
        .isFalse();
    assertThat(order.hasSameContent(NewOrder.of("11", "user-7", List.of("sku-1"), bd("100.01"))))
        .isFalse();
    assertThat(order.hasSameContent(NewOrder.of("12", "user-7", List.of("sku-1"), bd("100"))))
        .isFalse();
  }

  // --- lastError ---

  @Test
  void errorOfAFailureIsCutToTheMaximumLength() {
    String error = "e".repeat(Order.MAX_ERROR_LENGTH) + "TAIL";

    Order failed = processing().failed(error, T2);

    assertThat(Order.MAX_ERROR_LENGTH).isEqualTo(2_000);
    assertThat(failed.lastError()).hasSize(2_000).isEqualTo("e".repeat(2_000));
  }

  @Test
  void errorOfARescheduleIsCutToTheMaximumLength() {
    String error = "x".repeat(Order.MAX_ERROR_LENGTH + 1);

    Order rescheduled = processing().rescheduled(error, T3, T2);

    assertThat(rescheduled.lastError()).hasSize(Order.MAX_ERROR_LENGTH);
  }

  @Test
  void errorOfExactlyTheMaximumLengthIsKeptWhole() {
    String error = "y".repeat(Order.MAX_ERROR_LENGTH - 1) + "z";

    assertThat(processing().failed(error, T2).lastError()).isEqualTo(error);
  }

  // --- record invariants ---

  @Test
  void itemListOfAnOrderCannotBeModified() {
    Order order = pending();

    assertThatThrownBy(() -> order.itemIds().add("sku-9"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void negativeAttemptsAreRejected() {
    Order order = pending();

    assertThatThrownBy(
            () ->
                new Order(
                    order.orderId(),
                    order.userId(),
                    order.itemIds(),
                    order.totalAmount(),
                    order.status(),
                    -1,
                    order.createdAt(),
                    order.updatedAt(),
                    null,
                    null,
                    order.nextAttemptAt(),
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempts must be >= 0, was -1");
  }

  private Order pending() {
    return Order.create(newOrder, CREATED);
  }

  private Order processing() {
    return pending().claimed("node-a", T1);
  }

  private static BigDecimal bd(String value) {
    return new BigDecimal(value);
  }

  private static IllegalStatusTransitionException illegal(ThrowingSupplier<Order> move) {
    IllegalStatusTransitionException error =
        catchThrowableOfType(IllegalStatusTransitionException.class, move::get);
    assertThat(error).as("the move should have been refused").isNotNull();
    return error;
  }
}
