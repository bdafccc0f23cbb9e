package dev.orderly.core.testing;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import java.math.BigDecimal;
import java.util.List;

/** Builders for test orders: {@code anOrder().withId("11").withTotal("19.99").build()}. */
public final class OrderFixtures {

  private OrderFixtures() {}

  public static NewOrderBuilder anOrder() {
    return new NewOrderBuilder();
  }

  /** A NewOrder with sensible defaults; each {@code with*} changes one field. Not thread-safe. */
  public static final class NewOrderBuilder {
    private static int sequence;

    private String orderId = "order-" + next();
    private String userId = "user-1";
    private List<String> itemIds = List.of("sku-1", "sku-2");
    private BigDecimal totalAmount = new BigDecimal("19.99");

    private static synchronized int next() {
      return ++sequence;
    }

    public NewOrderBuilder withId(String orderId) {
      this.orderId = orderId;
      return this;
    }

    public NewOrderBuilder withId(OrderId orderId) {
      return withId(orderId.value());
    }

    public NewOrderBuilder withUser(String userId) {
      this.userId = userId;
      return this;
    }

    public NewOrderBuilder withItems(String... itemIds) {
      this.itemIds = List.of(itemIds);
      return this;
    }

    public NewOrderBuilder withTotal(String totalAmount) {
      this.totalAmount = new BigDecimal(totalAmount);
      return this;
    }

    public NewOrder build() {
      return NewOrder.of(orderId, userId, itemIds, totalAmount);
    }
  }
}
