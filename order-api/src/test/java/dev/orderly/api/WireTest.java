package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WireTest {

  @Test
  void timestampsAreUtcWithSixDecimalsAlways() {
    assertThat(Wire.timestamp(Instant.parse("2025-03-02T14:15:44Z")))
        .isEqualTo("2025-03-02T14:15:44.000000Z");
    assertThat(Wire.timestamp(Instant.parse("2025-03-02T14:15:44.685458Z")))
        .isEqualTo("2025-03-02T14:15:44.685458Z");
    assertThat(Wire.timestamp(null)).isNull();
  }

  @Test
  void secondsAreToTheMicrosecondWithoutTrailingZeros() {
    assertThat(Wire.seconds(Duration.ofMillis(6_240))).hasToString("6.24");
    assertThat(Wire.seconds(Duration.ofSeconds(100))).hasToString("100");
    assertThat(Wire.seconds(Duration.ZERO)).hasToString("0");
    assertThat(Wire.seconds(Duration.ofNanos(1_234_567_891L))).hasToString("1.234568");
  }

  @Test
  void theTextFormHasTwoDecimalsRoundedOnceFromTheExactDuration() {
    assertThat(Wire.secondsText(Duration.ofMillis(6_236))).isEqualTo("6.24 seconds");
    assertThat(Wire.secondsText(Duration.ofSeconds(2))).isEqualTo("2.00 seconds");
    assertThat(Wire.secondsText(Duration.ofNanos(6_234_999_600L))).isEqualTo("6.23 seconds");
  }
}
