package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static dev.orderly.api.ApiFixture.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.OrderId;
import org.junit.jupiter.api.Test;

/** {@code POST /orders/batch}: up to 1,000 orders, one result per order, with its index. */
class BatchTest {

  private final ApiFixture api = new ApiFixture();

  @Test
  void eachOrderGetsItsOutcomeInTheOrderSent() {
    api.http.post("/orders", ApiFixture.order("dup", "5"));
    api.http.post("/orders", ApiFixture.order("clash", "5"));
    String batch =
        "{\"orders\":["
            + ApiFixture.order("new", "1")
            + ","
            + ApiFixture.order("dup", "5")
            + ","
            + ApiFixture.order("clash", "6")
            + ","
            + "{\"order_id\":\"bad\",\"user_id\":\"u\",\"item_ids\":[],\"total_amount\":-1}"
            + "]}";

    InMemoryHttp.Answer answer = api.http.post("/orders/batch", batch);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo(
            "{\"created\":1,\"duplicate\":1,\"conflict\":1,\"invalid\":1,\"results\":["
                + "{\"index\":0,\"outcome\":\"created\",\"order_id\":\"new\",\"status\":\"Pending\"},"
                + "{\"index\":1,\"outcome\":\"duplicate\",\"order_id\":\"dup\",\"status\":\"Pending\"},"
                + "{\"index\":2,\"outcome\":\"conflict\",\"order_id\":\"clash\",\"status\":\"Pending\"},"
                + "{\"index\":3,\"outcome\":\"invalid\",\"errors\":["
                + "{\"field\":\"total_amount\",\"message\":\"must be >= 0\"}]}"
                + "]}");
    assertThat(api.storedOrders()).isEqualTo(3);
    assertThat(api.memory.find(OrderId.of("clash")).orElseThrow().totalAmount())
        .isEqualByComparingTo("5");
    assertThat(api.memory.find(OrderId.of("bad"))).isEmpty();
  }

  @Test
  void aThousandOrdersAreAccepted() {
    InMemoryHttp.Answer answer = api.http.post("/orders/batch", orders(1_000));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(ApiFixture.json(answer.body()).path("created").asInt()).isEqualTo(1_000);
    assertThat(api.storedOrders()).isEqualTo(1_000);
  }

  @Test
  void aThousandAndOneOrdersAre400AndNothingIsStored() {
    InMemoryHttp.Answer answer = api.http.post("/orders/batch", orders(1_001));

    assertThat(fields(assertProblem(answer, 400))).containsExactly("orders");
    assertThat(api.storedOrders()).isZero();
  }

  @Test
  void ordersWithoutIdsGetDistinctIds() {
    String order = "{\"user_id\":\"u\",\"item_ids\":\"a\",\"total_amount\":1}";

    InMemoryHttp.Answer answer =
        api.http.post("/orders/batch", "{\"orders\":[" + order + "," + order + "]}");

    assertThat(ApiFixture.json(answer.body()).path("created").asInt()).isEqualTo(2);
    assertThat(api.storedOrders()).isEqualTo(2);
  }

  private static String orders(int count) {
    StringBuilder batch = new StringBuilder("{\"orders\":[");
    for (int i = 0; i < count; i++) {
      batch.append(i == 0 ? "" : ",").append(ApiFixture.order("b" + i, "1"));
    }
    return batch.append("]}").toString();
  }
}
