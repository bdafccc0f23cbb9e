package dev.orderly.core.store;

import static dev.orderly.core.testing.OrderFixtures.anOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cursors, query limits and pages of the newest-first listing. */
class OrderCursorTest {

  private static final Instant AT = Instant.parse("2025-03-02T14:15:44.685458Z");

  // --- encode / decode ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "11",
        "tenant:42:order:7",
        ":",
        "::leading-and-trailing::",
        "заказ-№7-注文-🚚",
        "with space and / + = ?"
      })
  void decodeReadsBackWhatEncodeWrote(String id) {
    OrderCursor cursor = new OrderCursor(AT, OrderId.of(id));

    OrderCursor decoded = OrderCursor.decode(cursor.encode());

    assertThat(decoded).isEqualTo(cursor);
    assertThat(decoded.orderId().value()).isEqualTo(id);
    assertThat(decoded.createdAt()).isEqualTo(AT);
  }

  @Test
  void decodeReadsBackTimesBeforeTheEpochAndWithNanoseconds() {
    OrderCursor cursor =
        new OrderCursor(Instant.parse("1969-12-31T23:59:59.000000001Z"), OrderId.of("old"));

    assertThat(OrderCursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void encodedCursorIsUrlSafeText() {
    String encoded = new OrderCursor(AT, OrderId.of("заказ/?+=:🚚")).encode();

    assertThat(encoded).matches("[A-Za-z0-9_-]+");
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage!", "%%%", "", "bm90LWEtY3Vyc29y", "MTox", "MTo6"})
  void decodeRejectsTextThatIsNoCursor(String text) {
    // "bm90LWEtY3Vyc29y" is "not-a-cursor", "MTox" is "1:1" (no id), "MTo6" is "1::" (blank id).
    assertThatThrownBy(() -> OrderCursor.decode(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cursor '" + text + "' is not one this server gave out");
  }

  @Test
  void decodeRejectsATimeThatIsNotANumber() {
    String text = base64("yesterday:0:11");

    assertThatThrownBy(() -> OrderCursor.decode(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not one this server gave out");
  }

  @Test
  void decodeRejectsNull() {
    assertThatThrownBy(() -> OrderCursor.decode(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cursorAfterAnOrderIsAtItsCreationTimeAndId() {
    Order order = orderAt("order-9", AT);

    assertThat(OrderCursor.after(order)).isEqualTo(new OrderCursor(AT, OrderId.of("order-9")));
  }

  // --- precedes ---

  @Test
  void cursorPrecedesOlderOrders() {
    OrderCursor cursor = new OrderCursor(AT, OrderId.of("m"));

    assertThat(cursor.precedes(orderAt("z", AT.minusNanos(1_000)))).isTrue();
  }

  @Test
  void cursorDoesNotPrecedeNewerOrders() {
    OrderCursor cursor = new OrderCursor(AT, OrderId.of("m"));

    assertThat(cursor.precedes(orderAt("a", AT.plusNanos(1_000)))).isFalse();
  }

  @Test
  void atTheSameTimeTheCursorPrecedesOnlySmallerIds() {
    OrderCursor cursor = new OrderCursor(AT, OrderId.of("m"));

    assertThat(cursor.precedes(orderAt("l", AT))).isTrue();
    assertThat(cursor.precedes(orderAt("m", AT))).isFalse();
    assertThat(cursor.precedes(orderAt("n", AT))).isFalse();
  }

  // --- OrderQuery ---

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001})
  void queryLimitOutsideOneToThousandIsRejected(int limit) {
    assertThatThrownBy(() -> OrderQuery.all().withLimit(limit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 1000, was " + limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1000})
  void queryLimitAtTheBoundsIsAccepted(int limit) {
    assertThat(OrderQuery.all().withLimit(limit).limit()).isEqualTo(limit);
  }

  @Test
  void queryOfAllOrdersHasTheDefaultLimitAndNoFilter() {
    assertThat(OrderQuery.all()).isEqualTo(new OrderQuery(null, null, 100, null));
  }

  // --- OrderPage ---

  @Test
  void pageOfOneRowMoreThanTheLimitKeepsTheLimitAndPointsAtTheLastKeptRow() {
    List<Order> found =
        List.of(
            orderAt("d", AT.plusSeconds(3)),
            orderAt("c", AT.plusSeconds(2)),
            orderAt("b", AT.plusSeconds(1)),
            orderAt("a", AT));

    OrderPage page = OrderPage.of(found, 3);

    assertThat(page.orders()).extracting(o -> o.orderId().value()).containsExactly("d", "c", "b");
    assertThat(page.nextCursor()).contains(new OrderCursor(AT.plusSeconds(1), OrderId.of("b")));
  }

  @Test
  void pageOfExactlyTheLimitHasNoNextCursor() {
    List<Order> found = List.of(orderAt("b", AT.plusSeconds(1)), orderAt("a", AT));

    OrderPage page = OrderPage.of(found, 2);

    assertThat(page.orders()).hasSize(2);
    assertThat(page.nextCursor()).isEmpty();
    assertThat(page.next()).isNull();
  }

  @Test
  void pageOfFewerRowsThanTheLimitHasNoNextCursor() {
    OrderPage page = OrderPage.of(List.of(orderAt("a", AT)), 5);

    assertThat(page.orders()).hasSize(1);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void emptyPageHasNoNextCursor() {
    OrderPage page = OrderPage.of(List.of(), 5);

    assertThat(page.orders()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }

  private static Order orderAt(String id, Instant createdAt) {
    return Order.create(anOrder().withId(id).build(), createdAt);
  }

  private static String base64(String plain) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }
}
