package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static dev.orderly.api.ApiFixture.fields;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ids with control characters or broken Unicode are refused, in bodies, paths and queries. */
class UnsafeTextTest {

  private final ApiFixture api = new ApiFixture();

  @Test
  void controlCharactersAndLoneSurrogatesAreFoundAndPairsAreNot() {
    assertThat(OrderRequests.hasUnsafeCharacters("a\u0000b")).isTrue();
    assertThat(OrderRequests.hasUnsafeCharacters("x\nINFO forged")).isTrue();
    assertThat(OrderRequests.hasUnsafeCharacters("\u001b[31m")).isTrue();
    assertThat(OrderRequests.hasUnsafeCharacters("a\ud800")).isTrue();
    assertThat(OrderRequests.hasUnsafeCharacters("\udc00a")).isTrue();
    assertThat(OrderRequests.hasUnsafeCharacters("emoji \ud83d\ude00 ok")).isFalse();
    assertThat(OrderRequests.hasUnsafeCharacters("Zürich-東京")).isFalse();
  }

  @Test
  void anOrderWithAControlCharacterInAnyIdIsRefusedAndNotStored() {
    String body =
        "{\"order_id\":\"a\\u0000b\",\"user_id\":\"u\\u001b\",\"item_ids\":[\"ok\",\"x\\n\"],"
            + "\"total_amount\":1}";

    InMemoryHttp.Answer answer = api.http.post("/orders", body);

    assertThat(fields(assertProblem(answer, 400)))
        .containsExactly("order_id", "user_id", "item_ids[1]");
    assertThat(api.storedOrders()).isZero();
  }

  @Test
  void aPathOrQueryIdWithAControlCharacterIsA400() {
    assertProblem(api.http.get("/orders/a%00b"), 400);
    assertProblem(api.http.get("/metrics/a%0Ab"), 400);
    assertProblem(api.http.get("/orders?user_id=a%00b"), 400);
  }
}
