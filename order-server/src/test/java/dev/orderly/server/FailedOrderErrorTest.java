package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderlyApplication;
import dev.orderly.core.OrderEngine;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.processing.RetryPolicy;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.testing.MutableClock;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The error of a failed attempt, as a client reads it over real HTTP: the demo processor's message,
 * without the exception's Java class. The engine is not started; {@link OrderEngine#runOnce()} runs
 * the attempts in the test's thread.
 */
class FailedOrderErrorTest {

  private final MutableClock clock = new MutableClock();
  private final InMemoryOrderStore store = new InMemoryOrderStore();
  private OrderEngine engine;
  private HttpServer http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.shutdownNow();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aSimulatedFailureReachesTheClientAsItsMessageWithoutAClassName() {
    engine =
        OrderEngine.builder(store, new DemoProcessor(Duration.ZERO, 1.0))
            .clock(clock)
            .nodeId("node-1")
            .retryPolicy(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
            .build();
    OrderlyApplication application = new OrderlyApplication(engine.client(), () -> true);
    http =
        GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application);
    TestHttp client =
        new TestHttp(
            URI.create(
                "http://127.0.0.1:" + http.getListeners().iterator().next().getPort() + "/"));
    engine.submit(NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00")));

    assertThat(engine.runOnce()).isEqualTo(1);
    TestHttp.Answer retrying = client.get("/orders/11");
    clock.advance(Duration.ofMinutes(1));
    assertThat(engine.runOnce()).isEqualTo(1);
    TestHttp.Answer failed = client.get("/orders/11");

    assertThat(retrying.json().get("status").asText()).isEqualTo("Pending");
    assertThat(retrying.json().get("last_error").asText())
        .isEqualTo("simulated failure of order 11 attempt 1 (--failure-rate 1.0)");
    assertThat(failed.json().get("status").asText()).isEqualTo("Failed");
    assertThat(failed.json().get("last_error").asText())
        .isEqualTo("simulated failure of order 11 attempt 2 (--failure-rate 1.0)");
    assertThat(List.of(retrying.body(), failed.body()))
        .noneMatch(body -> body.contains("Exception") || body.contains("dev.orderly"));
  }
}
