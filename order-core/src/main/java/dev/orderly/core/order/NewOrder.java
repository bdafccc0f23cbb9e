package dev.orderly.core.order;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated request to create an order. Construction checks every rule at once and throws an
 * {@link InvalidOrderException} that names each offending field:
 *
 * <ul>
 *   <li>{@code orderId} and {@code userId}: non-blank, at most {@value #MAX_ID_LENGTH} characters;
 *   <li>{@code itemIds}: 1 to {@value #MAX_ITEMS} ids, each non-blank and at most {@value
 *       #MAX_ID_LENGTH} characters;
 *   <li>{@code totalAmount}: at least 0, at most {@link #MAX_AMOUNT}, with at most {@value
 *       #AMOUNT_SCALE} decimals (kept with exactly two, so {@code 100} becomes {@code 100.00}).
 * </ul>
 *
 * <pre>{@code
 * NewOrder order = NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00"));
 * }</pre>
 */
public record NewOrder(
    OrderId orderId, String userId, List<String> itemIds, BigDecimal totalAmount) {

  public static final int MAX_ID_LENGTH = OrderId.MAX_LENGTH;
  public static final int MAX_ITEMS = 1_000;
  public static final int AMOUNT_SCALE = 2;
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999999.99");

  public NewOrder {
    List<Violation> violations = new ArrayList<>();
    if (orderId == null) {
      violations.add(new Violation("orderId", "is required"));
    }
    violations.addAll(validate(userId, itemIds, totalAmount));
    if (!violations.isEmpty()) {
      throw new InvalidOrderException(violations);
    }
    itemIds = List.copyOf(itemIds);
    totalAmount = totalAmount.setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY);
  }

  /** Validates and builds an order; a bad {@code orderId} is reported with the other fields. */
  public static NewOrder of(
      String orderId, String userId, List<String> itemIds, BigDecimal totalAmount) {
    String idProblem = OrderId.problemWith(orderId);
    if (idProblem != null) {
      List<Violation> violations = new ArrayList<>();
      violations.add(new Violation("orderId", idProblem));
      violations.addAll(validate(userId, itemIds, totalAmount));
      throw new InvalidOrderException(violations);
    }
    return new NewOrder(new OrderId(orderId), userId, itemIds, totalAmount);
  }

  private static List<Violation> validate(
      String userId, List<String> itemIds, BigDecimal totalAmount) {
    List<Violation> violations = new ArrayList<>();
    String userProblem = Checks.identifierProblem(userId, MAX_ID_LENGTH);
    if (userProblem != null) {
      violations.add(new Violation("userId", userProblem));
    }
    if (itemIds == null) {
      violations.add(new Violation("itemIds", "is required"));
    } else if (itemIds.isEmpty() || itemIds.size() > MAX_ITEMS) {
      violations.add(
          new Violation(
              "itemIds", "must hold 1 to " + MAX_ITEMS + " item ids, held " + itemIds.size()));
    } else {
      for (int i = 0; i < itemIds.size(); i++) {
        String itemProblem = Checks.identifierProblem(itemIds.get(i), MAX_ID_LENGTH);
        if (itemProblem != null) {
          violations.add(new Violation("itemIds[" + i + "]", itemProblem));
        }
      }
    }
    if (totalAmount == null) {
      violations.add(new Violation("totalAmount", "is required"));
    } else if (totalAmount.signum() < 0) {
      violations.add(
          new Violation("totalAmount", "must be >= 0, was " + totalAmount.toPlainString()));
    } else if (totalAmount.compareTo(MAX_AMOUNT) > 0) {
      violations.add(new Violation("totalAmount", "must be at most " + MAX_AMOUNT.toPlainString()));
    } else if (totalAmount.stripTrailingZeros().scale() > AMOUNT_SCALE) {
      violations.add(
          new Violation(
              "totalAmount",
              "must have at most "
                  + AMOUNT_SCALE
                  + " decimals, was "
                  + totalAmount.toPlainString()));
    }
    return violations;
  }
}
