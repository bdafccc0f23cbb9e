package dev.orderly.core.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one table of status transitions, and how statuses are named and parsed. */
class OrderStatusTest {

  @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
  @CsvSource({
    "PENDING,    PENDING,    false",
    "PENDING,    PROCESSING, true",
    "PENDING,    COMPLETED,  false",
    "PENDING,    FAILED,     false",
    "PENDING,    CANCELLED,  true",
    "PROCESSING, PENDING,    true",
    "PROCESSING, PROCESSING, false",
    "PROCESSING, COMPLETED,  true",
    "PROCESSING, FAILED,     true",
    "PROCESSING, CANCELLED,  false",
    "COMPLETED,  PENDING,    false",
    "COMPLETED,  PROCESSING, false",
    "COMPLETED,  COMPLETED,  false",
    "COMPLETED,  FAILED,     false",
    "COMPLETED,  CANCELLED,  false",
    "FAILED,     PENDING,    true",
    "FAILED,     PROCESSING, false",
    "FAILED,     COMPLETED,  false",
    "FAILED,     FAILED,     false",
    "FAILED,     CANCELLED,  false",
    "CANCELLED,  PENDING,    false",
    "CANCELLED,  PROCESSING, false",
    "CANCELLED,  COMPLETED,  false",
    "CANCELLED,  FAILED,     false",
    "CANCELLED,  CANCELLED,  false",
  })
  void transitionTableAllowsExactlyTheDocumentedMoves(
      OrderStatus from, OrderStatus to, boolean allowed) {
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    assertThat(from.nextStatuses().contains(to)).isEqualTo(allowed);
  }

  @Test
  void nextStatusesListTheAllowedMovesOfEachStatus() {
    assertThat(OrderStatus.PENDING.nextStatuses())
        .containsExactlyInAnyOrder(OrderStatus.PROCESSING, OrderStatus.CANCELLED);
    assertThat(OrderStatus.PROCESSING.nextStatuses())
        .containsExactlyInAnyOrder(OrderStatus.COMPLETED, OrderStatus.FAILED, OrderStatus.PENDING);
    assertThat(OrderStatus.FAILED.nextStatuses()).containsExactly(OrderStatus.PENDING);
    assertThat(OrderStatus.COMPLETED.nextStatuses()).isEmpty();
    assertThat(OrderStatus.CANCELLED.nextStatuses()).isEmpty();
  }

  @Test
  void nextStatusesCannotBeModified() {
    assertThatThrownBy(() -> OrderStatus.PENDING.nextStatuses().add(OrderStatus.COMPLETED))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(OrderStatus.PENDING.canMoveTo(OrderStatus.COMPLETED)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "PENDING,    false",
    "PROCESSING, false",
    "COMPLETED,  true",
    "FAILED,     true",
    "CANCELLED,  true",
  })
  void onlyCompletedFailedAndCancelledAreFinal(OrderStatus status, boolean expectedFinal) {
    assertThat(status.isFinal()).isEqualTo(expectedFinal);
  }

  @ParameterizedTest
  @CsvSource({
    "PENDING,    Pending",
    "PROCESSING, Processing",
    "COMPLETED,  Completed",
    "FAILED,     Failed",
    "CANCELLED,  Cancelled",
  })
  void labelAndToStringAreTheCapitalizedName(OrderStatus status, String label) {
    assertThat(status.label()).isEqualTo(label);
    assertThat(status).hasToString(label);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pending", "PENDING", "pending", " pending ", "\tPeNdInG\n"})
  void fromLabelAcceptsLabelsAndNamesIgnoringCaseAndSurroundingSpace(String text) {
    assertThat(OrderStatus.fromLabel(text)).isEqualTo(OrderStatus.PENDING);
  }

  @ParameterizedTest
  @EnumSource(OrderStatus.class)
  void fromLabelReadsBackEveryLabelAndName(OrderStatus status) {
    assertThat(OrderStatus.fromLabel(status.label())).isEqualTo(status);
    assertThat(OrderStatus.fromLabel(status.name())).isEqualTo(status);
  }

  @Test
  void fromLabelRejectsAnUnknownStatusNamingTheAcceptedValues() {
    assertThatThrownBy(() -> OrderStatus.fromLabel("Shipped"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown order status 'Shipped'; expected one of Pending, Processing, Completed,"
                + " Failed, Cancelled");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "Pend", "Pending!"})
  void fromLabelRejectsTextThatIsNoStatus(String text) {
    assertThatThrownBy(() -> OrderStatus.fromLabel(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected one of Pending, Processing, Completed, Failed, Cancelled");
  }

  @Test
  void fromLabelRejectsNull() {
    assertThatThrownBy(() -> OrderStatus.fromLabel(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown order status 'null'");
  }
}
