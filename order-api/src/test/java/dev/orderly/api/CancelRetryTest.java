package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static dev.orderly.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.ClaimedOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cancel takes only a Pending order and retry only a Failed one; anything else is 409. */
class CancelRetryTest {

  private final ApiFixture api = new ApiFixture();

  @Test
  void cancellingAPendingOrderAnswersTheCancelledOrder() {
    api.http.post("/orders", ApiFixture.order("1", "10"));

    InMemoryHttp.Answer answer = api.http.request("POST", "/orders/1/cancel").send();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer.body()).path("status").asText()).isEqualTo("Cancelled");
    assertThat(api.memory.find(OrderId.of("1")).orElseThrow().status())
        .isEqualTo(OrderStatus.CANCELLED);
  }

  @Test
  void cancellingAnOrderThatIsNotPendingIs409AndChangesNothing() {
    api.http.post("/orders", ApiFixture.order("1", "10"));
    api.claim("1", Duration.ofSeconds(1));

    InMemoryHttp.Answer answer = api.http.request("POST", "/orders/1/cancel").send();

    assertThat(assertProblem(answer, 409).path("detail").asText())
        .isEqualTo("order '1' is Processing and cannot move to Cancelled");
    assertThat(api.memory.find(OrderId.of("1")).orElseThrow().status())
        .isEqualTo(OrderStatus.PROCESSING);
  }

  @Test
  void cancellingTwiceIs409() {
    api.http.post("/orders", ApiFixture.order("1", "10"));
    api.http.request("POST", "/orders/1/cancel").send();

    assertProblem(api.http.request("POST", "/orders/1/cancel").send(), 409);
  }

  @Test
  void cancellingOrRetryingAnUnknownOrderIs404() {
    assertThat(
            assertProblem(api.http.request("POST", "/orders/nope/cancel").send(), 404)
                .path("detail")
                .asText())
        .isEqualTo("order 'nope' does not exist");
    assertProblem(api.http.request("POST", "/orders/nope/retry").send(), 404);
  }

  @Test
  void retryingAFailedOrderMakesItPendingAgain() {
    api.http.post("/orders", ApiFixture.order("1", "10"));
    ClaimedOrder claimed = api.claim("1", Duration.ofSeconds(1));
    api.fail(claimed, "declined", Duration.ofSeconds(1));

    InMemoryHttp.Answer answer = api.http.request("POST", "/orders/1/retry").send();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(json(answer.body()).path("status").asText()).isEqualTo("Pending");
    assertThat(json(answer.body()).path("attempts").asInt()).isEqualTo(1);
    assertThat(api.memory.find(OrderId.of("1")).orElseThrow().status())
        .isEqualTo(OrderStatus.PENDING);
  }

  @Test
  void retryingAnOrderThatIsNotFailedIs409() {
    api.http.post("/orders", ApiFixture.order("1", "10"));
    ClaimedOrder claimed = api.claim("1", Duration.ofSeconds(1));
    api.complete(claimed, Duration.ofSeconds(1));

    InMemoryHttp.Answer answer = api.http.request("POST", "/orders/1/retry").send();

    assertThat(assertProblem(answer, 409).path("type").asText())
        .endsWith("/illegal-status-transition");
    assertThat(api.memory.find(OrderId.of("1")).orElseThrow().status())
        .isEqualTo(OrderStatus.COMPLETED);
  }

  @Test
  void cancelAndRetryTakeNoBody() {
    api.http.post("/orders", ApiFixture.order("1", "10"));

    assertProblem(api.http.request("GET", "/orders/1/cancel").send(), 405);
  }
}
