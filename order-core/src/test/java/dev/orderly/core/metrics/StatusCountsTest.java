package dev.orderly.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.orderly.core.order.OrderStatus;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counts per status, with every status present. */
class StatusCountsTest {

  private final StatusCounts counts =
      StatusCounts.of(Map.of(OrderStatus.PENDING, 3L, OrderStatus.FAILED, 2L));

  @Test
  void statusesMissingFromTheMapCountZero() {
    assertThat(counts.of(OrderStatus.PENDING)).isEqualTo(3);
    assertThat(counts.of(OrderStatus.FAILED)).isEqualTo(2);
    assertThat(counts.of(OrderStatus.PROCESSING)).isZero();
    assertThat(counts.of(OrderStatus.COMPLETED)).isZero();
    assertThat(counts.of(OrderStatus.CANCELLED)).isZero();
  }

  @Test
  void totalAddsEveryStatus() {
    StatusCounts all =
        StatusCounts.of(
            Map.of(
                OrderStatus.PENDING, 1L,
                OrderStatus.PROCESSING, 20L,
                OrderStatus.COMPLETED, 300L,
                OrderStatus.FAILED, 4_000L,
                OrderStatus.CANCELLED, 50_000L));

    assertThat(counts.total()).isEqualTo(5);
    assertThat(all.total()).isEqualTo(54_321);
  }

  @Test
  void emptyMapCountsNothing() {
    StatusCounts none = StatusCounts.of(Map.of());

    assertThat(none.total()).isZero();
    assertThat(none.byLabel()).hasSize(5).allSatisfy((label, count) -> assertThat(count).isZero());
  }

  @Test
  void byLabelListsEveryStatusInLifeOrder() {
    assertThat(counts.byLabel())
        .containsExactly(
            entry("Pending", 3L),
            entry("Processing", 0L),
            entry("Completed", 0L),
            entry("Failed", 2L),
            entry("Cancelled", 0L));
  }

  @Test
  void asMapListsEveryStatusInEnumOrder() {
    assertThat(counts.asMap())
        .containsExactly(
            entry(OrderStatus.PENDING, 3L),
            entry(OrderStatus.PROCESSING, 0L),
            entry(OrderStatus.COMPLETED, 0L),
            entry(OrderStatus.FAILED, 2L),
            entry(OrderStatus.CANCELLED, 0L));
  }

  @Test
  void mapsCannotBeModified() {
    assertThatThrownBy(() -> counts.byLabel().put("Pending", 99L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> counts.asMap().put(OrderStatus.PENDING, 99L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void laterChangesToTheSourceMapDoNotShow() {
    Map<OrderStatus, Long> source = new EnumMap<>(OrderStatus.class);
    source.put(OrderStatus.COMPLETED, 7L);
    StatusCounts copied = StatusCounts.of(source);

    source.put(OrderStatus.COMPLETED, 8L);

    assertThat(copied.of(OrderStatus.COMPLETED)).isEqualTo(7);
  }

  @Test
  void countsWithTheSameFiguresAreEqual() {
    StatusCounts same =
        StatusCounts.of(
            Map.of(OrderStatus.FAILED, 2L, OrderStatus.PENDING, 3L, OrderStatus.COMPLETED, 0L));

    assertThat(same).isEqualTo(counts).hasSameHashCodeAs(counts);
    assertThat(StatusCounts.of(Map.of(OrderStatus.PENDING, 4L))).isNotEqualTo(counts);
  }

  @Test
  void toStringShowsLabelsInOrder() {
    assertThat(counts).hasToString("{Pending=3, Processing=0, Completed=0, Failed=2, Cancelled=0}");
  }
}
