package dev.orderly.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How times and durations are written on the wire. Stateless and thread-safe. */
final class Wire {

  /**
   * ISO-8601 in UTC with exactly six decimals, the precision every store keeps: {@code
   * 2025-03-02T14:15:44.685458Z}. A fixed width sorts as text and never drops the fraction.
   */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final int NANOS_SCALE = 9;
  private static final int MICROS_SCALE = 6;
  private static final int SHOWN_SCALE = 2;

  private Wire() {}

  /** The timestamp, or {@code null} for {@code null}. */
  static String timestamp(Instant instant) {
    return instant == null ? null : TIMESTAMP.format(instant);
  }

  /** Seconds to the microsecond, without trailing zeros: {@code 6.24}, {@code 0}. */
  static BigDecimal seconds(Duration duration) {
    BigDecimal seconds =
        exactSeconds(duration).setScale(MICROS_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    // stripTrailingZeros turns 100 into 1E+2; keep a plain scale of at least 0.
    return seconds.scale() < 0 ? seconds.setScale(0) : seconds;
  }

  /** The seed's text form, two decimals: {@code "6.24 seconds"}. */
  static String secondsText(Duration duration) {
    // Rounded once, from the exact duration: rounding the microsecond figure again could move
    // 6.2349996 s to 6.24.
    return exactSeconds(duration).setScale(SHOWN_SCALE, RoundingMode.HALF_UP).toPlainString()
        + " seconds";
  }

  private static BigDecimal exactSeconds(Duration duration) {
    return BigDecimal.valueOf(duration.getSeconds())
        .add(BigDecimal.valueOf(duration.getNano(), NANOS_SCALE));
  }
}
