package dev.orderly.core.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of {@link NewOrder}'s javadoc, checked at its boundary. */
class NewOrderTest {

  private static final List<String> ITEMS = List.of("sku-1");
  private static final BigDecimal AMOUNT = new BigDecimal("19.99");

  @Test
  void validOrderKeepsItsFields() {
    NewOrder order = NewOrder.of("11", "user-7", List.of("sku-1", "sku-2"), AMOUNT);

    assertThat(order.orderId()).isEqualTo(OrderId.of("11"));
    assertThat(order.userId()).isEqualTo("user-7");
    assertThat(order.itemIds()).containsExactly("sku-1", "sku-2");
    assertThat(order.totalAmount()).isEqualTo(new BigDecimal("19.99"));
  }

  // --- orderId ---

  @Test
  void nullOrderIdIsRequired() {
    assertThat(violationsOf(null, "user-7", ITEMS, AMOUNT))
        .containsExactly(new Violation("orderId", "is required"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void blankOrderIdIsRejected(String orderId) {
    assertThat(violationsOf(orderId, "user-7", ITEMS, AMOUNT))
        .containsExactly(new Violation("orderId", "must not be blank"));
  }

  @Test
  void orderIdOf129CharactersIsRejected() {
    assertThat(violationsOf("a".repeat(129), "user-7", ITEMS, AMOUNT))
        .containsExactly(new Violation("orderId", "must be at most 128 characters, was 129"));
  }

  @Test
  void orderIdOf128CharactersIsAccepted() {
    String id = "a".repeat(128);

    assertThat(NewOrder.of(id, "user-7", ITEMS, AMOUNT).orderId().value()).isEqualTo(id);
  }

  @Test
  void constructorReportsANullOrderIdLikeTheFactory() {
    InvalidOrderException error =
        catchThrowableOfType(
            InvalidOrderException.class, () -> new NewOrder(null, "user-7", ITEMS, AMOUNT));

    assertThat(error.violations()).containsExactly(new Violation("orderId", "is required"));
  }

  // --- userId ---

  @Test
  void nullUserIdIsRequired() {
    assertThat(violationsOf("11", null, ITEMS, AMOUNT))
        .containsExactly(new Violation("userId", "is required"));
  }

  @Test
  void blankUserIdIsRejected() {
    assertThat(violationsOf("11", "  ", ITEMS, AMOUNT))
        .containsExactly(new Violation("userId", "must not be blank"));
  }

  @Test
  void userIdOf129CharactersIsRejectedAnd128Accepted() {
    assertThat(violationsOf("11", "u".repeat(129), ITEMS, AMOUNT))
        .containsExactly(new Violation("userId", "must be at most 128 characters, was 129"));
    assertThat(NewOrder.of("11", "u".repeat(128), ITEMS, AMOUNT).userId()).hasSize(128);
  }

  // --- itemIds ---

  @Test
  void nullItemListIsRequired() {
    assertThat(violationsOf("11", "user-7", null, AMOUNT))
        .containsExactly(new Violation("itemIds", "is required"));
  }

  @Test
  void noItemsAreRejected() {
    assertThat(violationsOf("11", "user-7", List.of(), AMOUNT))
        .containsExactly(new Violation("itemIds", "must hold 1 to 1000 item ids, held 0"));
  }

  @Test
  void thousandAndOneItemsAreRejected() {
    assertThat(violationsOf("11", "user-7", items(1001), AMOUNT))
        .containsExactly(new Violation("itemIds", "must hold 1 to 1000 item ids, held 1001"));
  }

  @Test
  void oneItemIsAccepted() {
    assertThat(NewOrder.of("11", "user-7", items(1), AMOUNT).itemIds()).containsExactly("sku-0");
  }

  @Test
  void thousandItemsAreAccepted() {
    NewOrder order = NewOrder.of("11", "user-7", items(1000), AMOUNT);

    assertThat(order.itemIds()).hasSize(1000).startsWith("sku-0").endsWith("sku-999");
  }

  @Test
  void blankItemIdIsReportedWithItsIndex() {
    assertThat(violationsOf("11", "user-7", List.of("sku-1", " ", "sku-3", ""), AMOUNT))
        .containsExactly(
            new Violation("itemIds[1]", "must not be blank"),
            new Violation("itemIds[3]", "must not be blank"));
  }

  @Test
  void nullAndTooLongItemIdsAreReportedWithTheirIndex() {
    List<String> itemIds = new ArrayList<>(List.of("sku-1", "x".repeat(129)));
    itemIds.add(null);

    assertThat(violationsOf("11", "user-7", itemIds, AMOUNT))
        .containsExactly(
            new Violation("itemIds[1]", "must be at most 128 characters, was 129"),
            new Violation("itemIds[2]", "is required"));
  }

  // --- totalAmount ---

  @Test
  void nullAmountIsRequired() {
    assertThat(violationsOf("11", "user-7", ITEMS, null))
        .containsExactly(new Violation("totalAmount", "is required"));
  }

  @Test
  void negativeAmountIsRejected() {
    assertThat(violationsOf("11", "user-7", ITEMS, new BigDecimal("-0.01")))
        .containsExactly(new Violation("totalAmount", "must be >= 0, was -0.01"));
  }

  @Test
  void amountWithThreeDecimalsIsRejected() {
    assertThat(violationsOf("11", "user-7", ITEMS, new BigDecimal("1.005")))
        .containsExactly(new Violation("totalAmount", "must have at most 2 decimals, was 1.005"));
  }

  @Test
  void amountAboveTheMaximumIsRejected() {
    BigDecimal tooMuch = NewOrder.MAX_AMOUNT.add(new BigDecimal("0.01"));

    assertThat(violationsOf("11", "user-7", ITEMS, tooMuch))
        .containsExactly(new Violation("totalAmount", "must be at most 999999999999999.99"));
  }

  @Test
  void theMaximumAmountIsAccepted() {
    assertThat(NewOrder.of("11", "user-7", ITEMS, NewOrder.MAX_AMOUNT).totalAmount())
        .isEqualTo(new BigDecimal("999999999999999.99"));
  }

  @ParameterizedTest(name = "{0} is kept as {1}")
  @CsvSource({
    "0,     0.00",
    "100,   100.00",
    "1.50,  1.50",
    "1.500, 1.50",
    "1.5,   1.50",
    "1E+2,  100.00",
    "0.000, 0.00",
  })
  void acceptedAmountsAreKeptWithExactlyTwoDecimals(String given, String kept) {
    BigDecimal amount = NewOrder.of("11", "user-7", ITEMS, new BigDecimal(given)).totalAmount();

    // BigDecimal.equals compares the scale too: 100.00 equals only 100.00, not 100.
    assertThat(amount).isEqualTo(new BigDecimal(kept));
    assertThat(amount.scale()).isEqualTo(2);
    assertThat(amount.toPlainString()).isEqualTo(kept);
  }

  // --- several at once ---

  @Test
  void everyBrokenRuleIsReportedInOneException() {
    InvalidOrderException error =
        catchThrowableOfType(
            InvalidOrderException.class,
            () -> NewOrder.of(" ", null, List.of(), new BigDecimal("-5")));

    assertThat(error.violations())
        .extracting(Violation::field)
        .containsExactly("orderId", "userId", "itemIds", "totalAmount");
    assertThat(error)
        .hasMessage(
            "invalid order: orderId must not be blank; userId is required;"
                + " itemIds must hold 1 to 1000 item ids, held 0; totalAmount must be >= 0, was -5");
  }

  @Test
  void fieldProblemsAreReportedTogetherWhenTheOrderIdIsValid() {
    InvalidOrderException error =
        catchThrowableOfType(
            InvalidOrderException.class,
            () -> NewOrder.of("11", "", List.of("sku-1", ""), new BigDecimal("1.001")));

    assertThat(error.violations())
        .containsExactly(
            new Violation("userId", "must not be blank"),
            new Violation("itemIds[1]", "must not be blank"),
            new Violation("totalAmount", "must have at most 2 decimals, was 1.001"));
  }

  @Test
  void violationsCannotBeModified() {
    InvalidOrderException error =
        catchThrowableOfType(
            InvalidOrderException.class, () -> NewOrder.of(null, "user-7", ITEMS, AMOUNT));

    assertThatThrownBy(() -> error.violations().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // --- item list ---

  @Test
  void itemListIsCopiedSoLaterChangesToTheInputDoNotShow() {
    List<String> itemIds = new ArrayList<>(List.of("sku-1", "sku-2"));
    NewOrder order = NewOrder.of("11", "user-7", itemIds, AMOUNT);

    itemIds.add("sku-3");
    itemIds.set(0, "changed");

    assertThat(order.itemIds()).containsExactly("sku-1", "sku-2");
  }

  @Test
  void itemListOfAnOrderCannotBeModified() {
    NewOrder order = NewOrder.of("11", "user-7", new ArrayList<>(ITEMS), AMOUNT);

    assertThatThrownBy(() -> order.itemIds().add("sku-9"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static List<Violation> violationsOf(
      String orderId, String userId, List<String> itemIds, BigDecimal totalAmount) {
    InvalidOrderException error =
        catchThrowableOfType(
            InvalidOrderException.class, () -> NewOrder.of(orderId, userId, itemIds, totalAmount));
    assertThat(error).as("NewOrder.of should have thrown InvalidOrderException").isNotNull();
    return error.violations();
  }

  private static List<String> items(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "sku-" + i)
        .collect(Collectors.collectingAndThen(Collectors.toList(), Collections::unmodifiableList));
  }
}
