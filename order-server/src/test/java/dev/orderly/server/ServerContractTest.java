package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.core.testing.Await;
import dev.orderly.server.TestHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a running server does over real HTTP, whatever its store: each store's test extends this and
 * says only which options select the store. Every test boots its own server on a free port.
 */
abstract class ServerContractTest {

  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final List<OrderlyServer> servers = new ArrayList<>();

  /** The options that select this test's store. */
  abstract List<String> storeOptions();

  @AfterEach
  void closeServers() {
    servers.forEach(OrderlyServer::close);
  }

  /** A server on 127.0.0.1 and a free port, processing at once unless {@code options} say not. */
  OrderlyServer start(String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--host", "127.0.0.1", "--port", "0", "--processing-delay", "0", "--workers", "2"));
    args.addAll(storeOptions());
    args.addAll(Arrays.asList(options));
    OrderlyServer server = OrderlyServer.start(ServerConfig.parse(args, Map.of()));
    servers.add(server);
    return server;
  }

  static void awaitStatus(TestHttp http, String orderId, String status) {
    Await.until(
        "order " + orderId + " is " + status,
        DEADLINE,
        () -> {
          Answer answer = http.get("/orders/" + orderId + "/status");
          return answer.status() == 200 && status.equals(answer.json().path("status").asText());
        },
        () -> "; last answer " + http.get("/orders/" + orderId + "/status"));
  }

  @Test
  void metricsAnswerPrometheusWithEngineHttpAndJvmSeries() {
    TestHttp http = new TestHttp(start().uri());
    http.get("/health/live");

    Answer answer = http.get("/metrics", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain");
    assertThat(answer.body())
        .contains(
            "orderly_orders{status=\"Pending\"} 0.0",
            "orderly_orders_submitted_total 0.0",
            "orderly_in_flight 0.0",
            "orderly_pending_due 0.0",
            "orderly_http_requests_seconds_count{method=\"GET\",route=\"/health/live\","
                + "status=\"200\"} 1",
            "jvm_memory_used_bytes{",
            "jvm_threads_live_threads ",
            "jvm_gc_",
            "system_cpu_count ",
            "process_uptime_seconds ");
  }

  @Test
  void theSeedsOrderGoesFromPendingToCompletedAndShowsInTheMetrics() {
    TestHttp http = new TestHttp(start().uri());

    // The seed's own request body, word for word (item_ids is a string there).
    Answer created =
        http.post(
            "/orders",
            """
            {
                "order_id" : "11",
                "user_id" : "user_id",
                "item_ids" : "item_ids",
                "total_amount" :  100
            }""");

    assertThat(created.status()).as("%s", created).isBetween(200, 201);
    assertThat(created.contentType()).startsWith("application/json");
    assertThat(created.json().path("order_id").asText()).isEqualTo("11");
    assertThat(created.json().path("status").asText()).isEqualTo("Pending");

    awaitStatus(http, "11", "Completed");
    Answer status = http.get("/orders/11/status");
    assertThat(status.json()).isEqualTo(TestHttp.parse("{\"status\": \"Completed\"}"));

    Answer metrics = http.get("/metrics");
    assertThat(metrics.status()).as("%s", metrics).isEqualTo(200);
    JsonNode totals = metrics.json();
    assertThat(totals.path("total_orders").asLong()).isEqualTo(1);
    assertThat(totals.path("status_counts").path("Completed").asLong()).isEqualTo(1);
    assertThat(totals.path("average_processing_time").isNumber()).as("%s", totals).isTrue();

    Answer orderMetrics = http.get("/metrics/11");
    assertThat(orderMetrics.status()).as("%s", orderMetrics).isEqualTo(200);
    JsonNode order = orderMetrics.json();
    assertThat(order.path("order_id").asText()).isEqualTo("11");
    assertThat(order.path("status").asText()).isEqualTo("Completed");
    assertThat(order.path("processing_time").asText()).endsWith(" seconds");
    assertThat(order.path("created_at").isTextual()).as("%s", order).isTrue();
    assertThat(order.path("updated_at").isTextual()).as("%s", order).isTrue();
  }

  @Test
  void anUnknownPathAnswers404ProblemJson() {
    TestHttp http = new TestHttp(start().uri());

    Answer answer = http.get("/no/such/thing");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().path("status").asInt()).isEqualTo(404);
    assertThat(answer.json().path("title").asText()).isNotBlank();
  }

  @Test
  void anUnknownOrderAnswers404ProblemJson() {
    TestHttp http = new TestHttp(start().uri());

    Answer answer = http.get("/orders/nope/status");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void aBodyOverOneMebibyteIsRefusedWith413AndTheServerKeepsServing() {
    TestHttp http = new TestHttp(start().uri());
    byte[] body = new byte[OrderlyServer.MAX_REQUEST_BODY_BYTES + 1];
    Arrays.fill(body, (byte) ' ');

    Answer answer = http.post("/orders", body);

    assertThat(answer.status()).as("%s", answer).isEqualTo(413);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(http.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void aPlainCreateIsAnsweredWithItsLocationAndTimedUnderItsRoute() {
    OrderlyServer server = start();
    TestHttp http = new TestHttp(server.uri());
    RawHttp raw = new RawHttp(server.uri());
    Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
    byte[] order =
        "{\"order_id\":\"c 1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":5}"
            .getBytes(StandardCharsets.UTF_8);

    RawHttp.Answer created = raw.send("POST", "/orders", json, order);
    RawHttp.Answer again = raw.send("POST", "/orders", json, order);

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/orders/c%201");
    assertThat(created.header("Content-Type")).isEqualTo("application/json");
    assertThat(created.text()).isEqualTo("{\"order_id\":\"c 1\",\"status\":\"Pending\"}");
    assertThat(again.status()).as("%s", again).isEqualTo(200);
    assertThat(again.header("Location")).isNull();
    String series = "orderly_http_requests_seconds_count{method=\"POST\",route=\"/orders\",";
    Await.until(
        "both creates are timed",
        DEADLINE,
        () -> {
          String metrics = http.get("/metrics", "text/plain;version=0.0.4").body();
          return metrics.contains(series + "status=\"201\"} 1")
              && metrics.contains(series + "status=\"200\"} 1");
        });
  }

  @Test
  void theServerIsReadyWhileItsEngineRuns() {
    OrderlyServer server = start();
    TestHttp http = new TestHttp(server.uri());

    assertThat(server.isRunning()).isTrue();
    assertThat(http.get("/health/ready").status()).isEqualTo(200);
    assertThat(http.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void aFailingProcessorShowsRetriesAndFailures() {
    // Every attempt fails; the engine's default policy retries with backoff, so the order stays
    // Pending between attempts and the error is recorded.
    TestHttp http = new TestHttp(start("--failure-rate", "1").uri());

    http.post(
        "/orders",
        "{\"order_id\": \"f-1\", \"user_id\": \"u\", \"item_ids\": [\"a\"], \"total_amount\": 5}");

    Await.until(
        "order f-1 has failed an attempt",
        DEADLINE,
        () ->
            http.get("/orders/f-1").json().path("attempts").asInt() >= 1
                && "Pending".equals(http.get("/orders/f-1/status").json().path("status").asText()),
        () -> "; last answer " + http.get("/orders/f-1"));
  }

  @Test
  void closingTwiceDoesNothing() {
    OrderlyServer server = start();

    server.close();
    server.close();

    assertThat(server.isRunning()).isFalse();
  }
}
