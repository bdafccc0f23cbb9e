package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.testing.Await;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DemoProcessorTest {

  private static final Order ORDER =
      Order.create(
          NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00")),
          Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void anAttemptFailsWhenTheDrawIsBelowTheFailureRate() {
    DemoProcessor processor = new DemoProcessor(Duration.ZERO, 0.3, () -> 0.29);

    assertThatThrownBy(() -> processor.process(ORDER))
        .isInstanceOf(SimulatedFailureException.class)
        .hasMessageContaining("order 11")
        .extracting(e -> ((SimulatedFailureException) e).orderId().value())
        .isEqualTo("11");
  }

  @Test
  void anAttemptSucceedsWhenTheDrawIsAtOrAboveTheFailureRate() {
    DemoProcessor processor = new DemoProcessor(Duration.ZERO, 0.3, () -> 0.3);

    assertThatCode(() -> processor.process(ORDER)).doesNotThrowAnyException();
  }

  @Test
  void aZeroFailureRateNeverFails() {
    DemoProcessor processor = new DemoProcessor(Duration.ZERO, 0.0, () -> 0.0);

    assertThatCode(() -> processor.process(ORDER)).doesNotThrowAnyException();
  }

  @Test
  void anInterruptEndsTheSimulatedWorkAtOnce() throws Exception {
    DemoProcessor processor = new DemoProcessor(Duration.ofHours(1), 0.0);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                processor.process(ORDER);
                outcome.set(new AssertionError("returned without being interrupted"));
              } catch (Throwable e) {
                outcome.set(e);
              }
            });
    worker.start();
    Await.until(
        "the worker waits",
        Duration.ofSeconds(10),
        () -> worker.getState() == Thread.State.TIMED_WAITING);

    worker.interrupt();
    worker.join(Duration.ofSeconds(10).toMillis());

    assertThat(worker.isAlive()).isFalse();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new DemoProcessor(Duration.ofSeconds(-1), 0))
        .hasMessage("delay must be >= 0, was PT-1S");
    assertThatThrownBy(() -> new DemoProcessor(Duration.ZERO, 1.5))
        .hasMessage("failureRate must be from 0 to 1, was 1.5");
  }
}
