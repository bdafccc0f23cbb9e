package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.core.testing.Await;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays {@code bad-input-corpus.json} against a live server over real HTTP (raw sockets, so that
 * invalid bytes and broken headers go out as written): every request is refused with a 4xx, none
 * with a 5xx, nothing is stored or changed, and the server stays ready after each one. One server
 * per store; the subclasses say which.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputCorpusTest {

  private static final String EXISTING =
      "{\"order_id\":\"existing-1\",\"user_id\":\"u-1\",\"item_ids\":[\"sku-1\"],"
          + "\"total_amount\":9.99}";

  static Stream<BadInputCorpus> corpus() {
    return BadInputCorpus.load().stream();
  }

  @Test
  void theCorpusHoldsAtLeast60Cases() {
    assertThat(BadInputCorpus.load()).hasSizeGreaterThanOrEqualTo(60);
  }

  private OrderlyServer server;
  private TestHttp http;
  private RawHttp raw;
  private String existing;

  abstract List<String> storeOptions();

  /** Rows in the database itself, or empty for a store without one. */
  abstract OptionalLong storedRows() throws SQLException;

  @BeforeAll
  void start() {
    List<String> args =
        new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--processing-delay", "0"));
    args.addAll(storeOptions());
    server = OrderlyServer.start(ServerConfig.parse(args, Map.of()));
    http = new TestHttp(server.uri());
    raw = new RawHttp(server.uri());
    assertThat(http.post("/orders", EXISTING).status()).isEqualTo(201);
    ServerContractTest.awaitStatus(http, "existing-1", "Completed");
    existing = http.get("/orders/existing-1").body();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.orderly.server.BadInputCorpusTest#corpus")
  void isRefusedWithA4xxAndChangesNothing(BadInputCorpus request) throws SQLException {
    RawHttp.Answer answer =
        raw.send(request.method(), request.path(), request.headers(), request.body());

    assertThat(answer.status()).as("status of %s", answer).isEqualTo(request.status());
    String text = answer.text();
    assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
    JsonNode problem = TestHttp.parse(text);
    assertThat(problem.path("status").asInt()).isEqualTo(request.status());
    assertThat(problem.path("type").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(answer.header("server")).as("Server header").isNull();
    assertThat(text)
        .doesNotContainIgnoringCase("exception")
        .doesNotContainIgnoringCase("grizzly")
        .doesNotContain("at dev.", "at org.", "at com.", "java.", "SQL", "select ", "insert ");
    Await.until(
        "the server is ready again",
        Duration.ofSeconds(10),
        () -> http.get("/health/ready").status() == 200);
    JsonNode metrics = http.get("/metrics").json();
    assertThat(metrics.path("total_orders").asLong()).as("orders stored").isEqualTo(1);
    assertThat(http.get("/orders/existing-1").body()).isEqualTo(existing);
    OptionalLong rows = storedRows();
    if (rows.isPresent()) {
      assertThat(rows.getAsLong()).as("rows in the orders table").isEqualTo(1);
    }
  }
}
