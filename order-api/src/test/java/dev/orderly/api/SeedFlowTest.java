package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static dev.orderly.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's four endpoints answer exactly the shapes of its samples. */
class SeedFlowTest {

  private static final String SEED_CREATE =
      "{\"order_id\":\"11\",\"user_id\":\"user_id\",\"item_ids\":\"item_ids\",\"total_amount\":100}";

  private final ApiFixture api = new ApiFixture();

  @Test
  void createAnswers201WithLocationAndTheSeedBody() {
    InMemoryHttp.Answer answer = api.http.post("/orders", SEED_CREATE);

    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.header("Location")).isEqualTo("/orders/11");
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.body()).isEqualTo("{\"order_id\":\"11\",\"status\":\"Pending\"}");
    assertThat(api.memory.find(OrderId.of("11")).orElseThrow().itemIds())
        .containsExactly("item_ids");
  }

  @Test
  void theSameCreateAgainAnswers200WithTheCurrentStatus() {
    api.http.post("/orders", SEED_CREATE);
    ClaimedOrder claimed = api.claim("11", Duration.ofSeconds(1));

    InMemoryHttp.Answer again = api.http.post("/orders", SEED_CREATE);

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Location")).isNull();
    assertThat(again.body()).isEqualTo("{\"order_id\":\"11\",\"status\":\"Processing\"}");
    assertThat(claimed.order().attempts()).isEqualTo(1);
    assertThat(api.storedOrders()).isEqualTo(1);
  }

  @Test
  void theSameIdWithOtherContentAnswers409AndChangesNothing() {
    api.http.post("/orders", SEED_CREATE);

    InMemoryHttp.Answer conflict = api.http.post("/orders", SEED_CREATE.replace("100", "101"));

    assertThat(assertProblem(conflict, 409).path("detail").asText()).contains("'11'");
    assertThat(api.memory.find(OrderId.of("11")).orElseThrow().totalAmount())
        .isEqualByComparingTo("100");
  }

  @Test
  void idsMayBeIntegersAndItemsAnArrayOfIntegersOrACommaSeparatedString() {
    InMemoryHttp.Answer numeric =
        api.http.post(
            "/orders",
            "{\"order_id\":12,\"user_id\":7,\"item_ids\":[1,\"sku-2\"],\"total_amount\":19.99}");
    InMemoryHttp.Answer split =
        api.http.post(
            "/orders",
            "{\"order_id\":\"13\",\"user_id\":\"u\",\"item_ids\":\"a, b,c\",\"total_amount\":0}");

    assertThat(numeric.status()).isEqualTo(201);
    assertThat(numeric.body()).isEqualTo("{\"order_id\":\"12\",\"status\":\"Pending\"}");
    assertThat(api.memory.find(OrderId.of("12")).orElseThrow().userId()).isEqualTo("7");
    assertThat(api.memory.find(OrderId.of("12")).orElseThrow().itemIds())
        .containsExactly("1", "sku-2");
    assertThat(split.status()).isEqualTo(201);
    assertThat(api.memory.find(OrderId.of("13")).orElseThrow().itemIds())
        .containsExactly("a", "b", "c");
  }

  @Test
  void anOrderSentWithoutIdGetsAUuidAndItsLocation() {
    InMemoryHttp.Answer answer =
        api.http.post("/orders", "{\"user_id\":\"u\",\"item_ids\":[\"sku-1\"],\"total_amount\":5}");

    assertThat(answer.status()).isEqualTo(201);
    String id = json(answer.body()).path("order_id").asText();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(answer.header("Location")).isEqualTo("/orders/" + id);
    assertThat(api.memory.find(OrderId.of(id))).isPresent();
  }

  @Test
  void theLocationOfAnIdWithReservedCharactersIsEncoded() {
    InMemoryHttp.Answer answer = api.http.post("/orders", ApiFixture.order("a b?c", "1"));

    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.header("Location")).isEqualTo("/orders/a%20b%3Fc");
  }

  @Test
  void anIdWithASlashOrSpaceIsAddressedByItsEncodedLocation() {
    for (String id : List.of("a/b", "a b")) {
      String location = api.http.post("/orders", ApiFixture.order(id, "1")).header("Location");

      InMemoryHttp.Answer answer = api.http.get(location + "/status");

      assertThat(answer.status()).as(location).isEqualTo(200);
      assertThat(json(api.http.get(location).body()).path("order_id").asText()).isEqualTo(id);
    }
  }

  @Test
  void statusAnswersTheSeedShape() {
    api.http.post("/orders", SEED_CREATE);
    ClaimedOrder claimed = api.claim("11", Duration.ofSeconds(1));
    api.complete(claimed, Duration.ofSeconds(5));

    InMemoryHttp.Answer answer = api.http.get("/orders/11/status");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"status\":\"Completed\"}");
  }

  @Test
  void statusOfAnUnknownOrderIs404() {
    assertProblem(api.http.get("/orders/nope/status"), 404);
    assertProblem(api.http.get("/orders/nope"), 404);
    assertProblem(api.http.get("/metrics/nope"), 404);
  }

  @Test
  void metricsCountEveryStatusAndAverageProcessingOverCompletedOrders() {
    for (String id : List.of("1", "2", "3")) {
      api.http.post("/orders", ApiFixture.order(id, "10"));
    }
    // Order 1: waits 1 s, done 6.00 s after creation; order 2: waits 2 s, done 6.48 s after.
    ClaimedOrder first = api.claim("1", Duration.ofSeconds(1));
    api.complete(first, Duration.ofMillis(5_000));
    ClaimedOrder second = api.claim("2", Duration.ofMillis(-4_000));
    api.complete(second, Duration.ofMillis(4_480));

    InMemoryHttp.Answer answer = api.http.get("/metrics");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo(
            "{\"total_orders\":3,"
                + "\"status_counts\":{\"Pending\":1,\"Processing\":0,\"Completed\":2,"
                + "\"Failed\":0,\"Cancelled\":0},"
                + "\"average_processing_time\":6.24,"
                + "\"average_queue_wait\":1.5,"
                + "\"processing_percentiles\":null,\"queue_wait_percentiles\":null,"
                + "\"orders_per_second\":null,"
                // Order 3 is Pending and due; it was created 6.48 s before the clock's now.
                + "\"due_pending\":1,\"due_pending_capped\":false,\"oldest_pending_age\":6.48,"
                // A client-only application has no engine: no node figures.
                + "\"in_flight\":null,\"retries\":null,\"failures\":null,\"node\":null}");
  }

  @Test
  void metricsWithNoCompletedOrderHaveANullAverage() {
    InMemoryHttp.Answer answer = api.http.get("/metrics");

    assertThat(answer.body())
        .isEqualTo(
            "{\"total_orders\":0,"
                + "\"status_counts\":{\"Pending\":0,\"Processing\":0,\"Completed\":0,"
                + "\"Failed\":0,\"Cancelled\":0},"
                + "\"average_processing_time\":null,"
                + "\"average_queue_wait\":null,"
                + "\"processing_percentiles\":null,\"queue_wait_percentiles\":null,"
                + "\"orders_per_second\":null,"
                + "\"due_pending\":0,\"due_pending_capped\":false,\"oldest_pending_age\":null,"
                + "\"in_flight\":null,\"retries\":null,\"failures\":null,\"node\":null}");
  }

  @Test
  void orderMetricsAnswerTheSeedShapeWithProcessingTimeInSeconds() {
    api.http.post("/orders", SEED_CREATE);
    ClaimedOrder claimed = api.claim("11", Duration.ofMillis(1_000));
    api.complete(claimed, Duration.ofNanos(5_235_816_000L));

    InMemoryHttp.Answer answer = api.http.get("/metrics/11");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(MutableClock.START).isEqualTo("2025-03-02T14:15:44.685458Z");
    assertThat(answer.body())
        .isEqualTo(
            "{\"order_id\":\"11\",\"status\":\"Completed\","
                + "\"created_at\":\"2025-03-02T14:15:44.685458Z\","
                + "\"updated_at\":\"2025-03-02T14:15:50.921274Z\","
                + "\"processing_time\":\"6.24 seconds\"}");
  }

  @Test
  void orderMetricsHaveNoProcessingTimeUntilTheOrderIsFinished() {
    api.http.post("/orders", SEED_CREATE);
    api.claim("11", Duration.ofSeconds(1));

    InMemoryHttp.Answer answer = api.http.get("/metrics/11");

    assertThat(json(answer.body()).path("status").asText()).isEqualTo("Processing");
    assertThat(json(answer.body()).get("processing_time").isNull()).isTrue();
  }

  @Test
  void theWholeOrderShowsEveryFact() {
    api.http.post("/orders", SEED_CREATE);
    ClaimedOrder claimed = api.claim("11", Duration.ofSeconds(1));
    api.fail(claimed, "card declined", Duration.ofSeconds(2));

    InMemoryHttp.Answer answer = api.http.get("/orders/11");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo(
            "{\"order_id\":\"11\",\"user_id\":\"user_id\",\"item_ids\":[\"item_ids\"],"
                + "\"total_amount\":100.00,\"status\":\"Failed\",\"attempts\":1,"
                + "\"created_at\":\"2025-03-02T14:15:44.685458Z\","
                + "\"updated_at\":\"2025-03-02T14:15:47.685458Z\","
                + "\"started_at\":\"2025-03-02T14:15:45.685458Z\","
                + "\"completed_at\":\"2025-03-02T14:15:47.685458Z\","
                + "\"last_error\":\"card declined\",\"processed_by\":\"node-1\"}");
  }
}
