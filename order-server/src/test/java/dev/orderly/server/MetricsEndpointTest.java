package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.api.OrderlyApplication;
import dev.orderly.core.OrderEngine;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.processing.PermanentFailureException;
import dev.orderly.core.processing.RetryPolicy;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.testing.MutableClock;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} over real HTTP, after orders with known times on a stepped clock: every JSON
 * figure exactly, and the Prometheus series with their values. The engine is not started; {@link
 * OrderEngine#runOnce()} processes the orders in the test's thread, so nothing is left to chance.
 */
class MetricsEndpointTest {

  private static final String PROMETHEUS_ACCEPT = "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  private static final String OPENMETRICS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private final MutableClock clock = new MutableClock();
  private final InMemoryOrderStore store = new InMemoryOrderStore();
  private final ServerMetrics metrics = ServerMetrics.withoutJvm(Duration.ZERO);
  private OrderEngine engine;
  private HttpServer http;
  private TestHttp client;

  @BeforeEach
  void start() {
    engine =
        OrderEngine.builder(store, this::process)
            .clock(clock)
            .nodeId("node-1")
            .claimBatchSize(10)
            .retryPolicy(
                RetryPolicy.exponential(5, Duration.ofMinutes(1), Duration.ofMinutes(5))
                    .withJitter(0))
            .listener(metrics.engineListener())
            .build();
    metrics.bindEngine(engine);
    OrderlyApplication application =
        new OrderlyApplication(engine.client(), () -> true, engine::nodeMetrics, metrics::scrape);
    application.register(metrics.httpMeters());
    http =
        GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application);
    client =
        new TestHttp(
            URI.create(
                "http://127.0.0.1:" + http.getListeners().iterator().next().getPort() + "/"));
  }

  @AfterEach
  void stop() {
    http.shutdownNow();
    engine.close();
    metrics.close();
  }

  /** a takes 1 s, b 3 s; c fails for good; d fails once and waits a minute for its retry. */
  private void process(Order order) {
    switch (order.orderId().value()) {
      case "a" -> clock.advance(Duration.ofSeconds(1));
      case "b" -> clock.advance(Duration.ofSeconds(3));
      case "c" -> throw new PermanentFailureException("card declined");
      case "d" -> throw new IllegalStateException("stock service timed out");
      default -> throw new AssertionError("unexpected order " + order.orderId());
    }
  }

  /**
   * At T0 a, b, c, d are created; at T0+2s one round claims all four (queue wait 2 s each) and runs
   * them in id order: a completes at T0+3s (3 s after creation), b at T0+6s (6 s), c fails, d is
   * rescheduled to T0+66s. At T0+6s e is created. The figures are read at T0+20s.
   */
  private void driveOrders() {
    for (String id : List.of("a", "b", "c", "d")) {
      engine.submit(order(id));
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(engine.runOnce()).isEqualTo(4);
    engine.submit(order("e"));
    clock.set(MutableClock.START.plusSeconds(20));
  }

  @Test
  void jsonReportsEveryFigureExactly() {
    driveOrders();

    TestHttp.Answer answer = client.get("/metrics");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.body())
        .isEqualTo(
            "{\"total_orders\":5,"
                + "\"status_counts\":{\"Pending\":2,\"Processing\":0,\"Completed\":2,\"Failed\":1,"
                + "\"Cancelled\":0},"
                + "\"average_processing_time\":4.5,"
                + "\"average_queue_wait\":2,"
                + "\"processing_percentiles\":{\"count\":2,\"p50\":3,\"p95\":6,\"p99\":6,\"max\":6},"
                + "\"queue_wait_percentiles\":{\"count\":4,\"p50\":2,\"p95\":2,\"p99\":2,\"max\":2},"
                // Two completions in the last minute: 2 / 60 per second.
                + "\"orders_per_second\":0.033,"
                // e is due; d waits for its retry at T0+66s but is the oldest, 20 s old.
                + "\"due_pending\":1,"
                + "\"due_pending_capped\":false,"
                + "\"oldest_pending_age\":20,"
                + "\"in_flight\":0,"
                + "\"retries\":1,"
                + "\"failures\":1,"
                + "\"node\":{\"id\":\"node-1\",\"completed\":2,\"failed\":1,\"retried\":1,"
                + "\"in_flight\":0}}");
  }

  @Test
  void prometheusTextHoldsTheSeriesWithTheirValues() {
    driveOrders();
    client.get("/metrics");

    TestHttp.Answer answer = client.get("/metrics", PROMETHEUS_ACCEPT);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain").contains("version=0.0.4");
    Map<String, String> series =
        Map.ofEntries(
            Map.entry("orderly_orders_submitted_total", "5.0"),
            Map.entry("orderly_orders_completed_total", "2.0"),
            Map.entry("orderly_orders_failed_total", "1.0"),
            Map.entry("orderly_orders_retried_total", "1.0"),
            Map.entry("orderly_orders{status=\"Pending\"}", "2.0"),
            Map.entry("orderly_orders{status=\"Processing\"}", "0.0"),
            Map.entry("orderly_orders{status=\"Completed\"}", "2.0"),
            Map.entry("orderly_orders{status=\"Failed\"}", "1.0"),
            Map.entry("orderly_orders{status=\"Cancelled\"}", "0.0"),
            Map.entry("orderly_pending_due", "1.0"),
            Map.entry("orderly_pending_oldest_age_seconds", "20.0"),
            Map.entry("orderly_in_flight", "0.0"),
            Map.entry("orderly_processing_seconds_count", "2"),
            Map.entry("orderly_processing_seconds_sum", "9.0"),
            Map.entry("orderly_processing_seconds_max", "6.0"),
            Map.entry("orderly_processing_seconds_bucket{le=\"2.5\"}", "0"),
            Map.entry("orderly_processing_seconds_bucket{le=\"5.0\"}", "1"),
            Map.entry("orderly_processing_seconds_bucket{le=\"10.0\"}", "2"),
            Map.entry("orderly_processing_seconds_bucket{le=\"+Inf\"}", "2"),
            Map.entry("orderly_queue_wait_seconds_count", "4"),
            Map.entry("orderly_queue_wait_seconds_sum", "8.0"),
            Map.entry("orderly_queue_wait_seconds_bucket{le=\"1.0\"}", "0"),
            Map.entry("orderly_queue_wait_seconds_bucket{le=\"2.5\"}", "4"),
            Map.entry(
                "orderly_http_requests_seconds_count{method=\"GET\",route=\"/metrics\",status=\"200\"}",
                "1"));
    List<String> lines = answer.body().lines().toList();
    series.forEach((name, value) -> assertThat(lines).as(name).contains(name + " " + value));
    assertThat(lines).contains("# TYPE orderly_processing_seconds histogram");
  }

  @Test
  void httpRequestsAreCountedByRouteTemplateNotById() {
    engine.submit(order("a"));
    client.get("/orders/a");
    client.get("/orders/a/status");
    client.get("/orders/nope");
    client.get("/no/such/path");

    List<String> lines = client.get("/metrics", PROMETHEUS_ACCEPT).body().lines().toList();

    assertThat(lines)
        .contains(
            "orderly_http_requests_seconds_count{method=\"GET\",route=\"/orders/{id}\",status=\"200\"} 1",
            "orderly_http_requests_seconds_count{method=\"GET\",route=\"/orders/{id}\",status=\"404\"} 1",
            "orderly_http_requests_seconds_count{method=\"GET\",route=\"/orders/{id}/status\",status=\"200\"} 1",
            "orderly_http_requests_seconds_count{method=\"GET\",route=\"UNMATCHED\",status=\"404\"} 1");
  }

  @Test
  void theAcceptHeaderChoosesTheFormat() {
    assertThat(client.get("/metrics", OPENMETRICS_ACCEPT).contentType())
        .startsWith("application/openmetrics-text");
    assertThat(client.get("/metrics", OPENMETRICS_ACCEPT).body()).endsWith("# EOF\n");
    assertThat(client.get("/metrics", "text/plain").contentType()).startsWith("text/plain");
    // curl, a browser, and a client that lists JSON first get JSON.
    for (String accept :
        List.of(
            "*/*",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/json, text/plain, */*")) {
      TestHttp.Answer answer = client.get("/metrics", accept);
      assertThat(answer.contentType()).as(accept).isEqualTo("application/json");
      JsonNode json = answer.json();
      assertThat(json.path("total_orders").asLong()).as(accept).isZero();
    }
  }

  private static NewOrder order(String id) {
    return NewOrder.of(id, "user-1", List.of("sku-1"), new BigDecimal("10.00"));
  }
}
