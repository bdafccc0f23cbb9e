package dev.orderly.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Events per second over a sliding window, on a stepped clock. */
class ThroughputWindowTest {

  /** The start of a second, so that steps within it stay in it. */
  private static final Instant SECOND = Instant.parse("2025-03-02T14:15:44Z");

  private final MutableClock clock = new MutableClock(SECOND);
  private final ThroughputWindow window = new ThroughputWindow(clock, 60);

  @Test
  void noEventsIsZeroPerSecond() {
    assertThat(window.perSecond()).isEqualTo(0.0);
  }

  @Test
  void hundredTwentyEventsInOneSecondAreTwoPerSecondOverSixtySeconds() {
    recordSpreadOverOneSecond(120);

    assertThat(window.perSecond()).isEqualTo(2.0);
  }

  @Test
  void eventsCountUntilTheyAreSixtySecondsOld() {
    recordSpreadOverOneSecond(120);

    clock.set(SECOND.plusSeconds(59).plusMillis(999));
    assertThat(window.perSecond()).isEqualTo(2.0);

    clock.advance(Duration.ofMillis(1));
    assertThat(window.perSecond()).isEqualTo(0.0);
  }

  @Test
  void advancingSixtySecondsDropsOnlyTheOldestSecond() {
    recordSpreadOverOneSecond(120);
    clock.set(SECOND.plusSeconds(30));
    for (int i = 0; i < 30; i++) {
      window.record();
    }

    clock.set(SECOND.plusSeconds(60));

    assertThat(window.perSecond()).isEqualTo(0.5);
  }

  @Test
  void eventsInSeveralSecondsAddUp() {
    for (int second = 0; second < 3; second++) {
      clock.set(SECOND.plusSeconds(second));
      for (int i = 0; i < 20; i++) {
        window.record();
      }
    }

    assertThat(window.perSecond()).isEqualTo(1.0);
  }

  @Test
  void aSlotReusedAfterAFullWindowCountsOnlyTheNewSecond() {
    recordSpreadOverOneSecond(120);
    // Sixty seconds later the same slot of the ring is used again.
    clock.set(SECOND.plusSeconds(60));
    for (int i = 0; i < 6; i++) {
      window.record();
    }

    assertThat(window.perSecond()).isEqualTo(0.1);
  }

  /** Records {@code count} events at steps of 5 ms from the start of {@link #SECOND}. */
  private void recordSpreadOverOneSecond(int count) {
    clock.set(SECOND);
    for (int i = 0; i < count; i++) {
      window.record();
      clock.advance(Duration.ofMillis(5));
    }
    assertThat(clock.instant()).isBefore(SECOND.plusSeconds(1));
  }
}
