package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.core.OrderClient;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.testing.MutableClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The API over a real in-memory store on a stepped clock, run in memory, plus helpers to move
 * orders along as an engine would. Not thread-safe; one per test.
 */
final class ApiFixture {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NODE = "node-1";
  static final Duration LEASE = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock();
  final InMemoryOrderStore memory = new InMemoryOrderStore();
  final OrderStore store;
  final OrderClient client;
  final AtomicBoolean engineRunning = new AtomicBoolean(true);
  final InMemoryHttp http;

  ApiFixture() {
    this(null);
  }

  /**
   * @param wrap a store that wraps the in-memory one (to break it), or null
   */
  ApiFixture(java.util.function.UnaryOperator<OrderStore> wrap) {
    this.store = wrap == null ? memory : wrap.apply(memory);
    this.client = OrderClient.create(store, clock);
    this.http = new InMemoryHttp(new OrderlyApplication(client, engineRunning::get));
  }

  /** Claims the order as a worker would, {@code after} the clock's now. */
  ClaimedOrder claim(String orderId, Duration after) {
    clock.advance(after);
    List<ClaimedOrder> claimed =
        memory.claimByIds(List.of(OrderId.of(orderId)), NODE, clock.instant(), LEASE);
    assertThat(claimed).as("claimed %s", orderId).hasSize(1);
    return claimed.get(0);
  }

  void complete(ClaimedOrder claimed, Duration after) {
    clock.advance(after);
    assertThat(memory.complete(claimed.lease(), clock.instant())).isTrue();
  }

  void fail(ClaimedOrder claimed, String error, Duration after) {
    clock.advance(after);
    assertThat(memory.fail(claimed.lease(), error, clock.instant())).isTrue();
  }

  long storedOrders() {
    return memory.statistics().total();
  }

  static String order(String id, String total) {
    return "{\"order_id\":\""
        + id
        + "\",\"user_id\":\"user-1\",\"item_ids\":[\"sku-1\"],\"total_amount\":"
        + total
        + "}";
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts an RFC 9457 problem: status, media type, the required members. */
  static JsonNode assertProblem(InMemoryHttp.Answer answer, int status) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    JsonNode problem = json(answer.body());
    assertThat(problem.path("type").asText()).startsWith("https://orderly.dev/problems/");
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isNotBlank();
    return problem;
  }

  /** The fields a validation problem names. */
  static List<String> fields(JsonNode problem) {
    List<String> fields = new java.util.ArrayList<>();
    problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
    return fields;
  }
}
