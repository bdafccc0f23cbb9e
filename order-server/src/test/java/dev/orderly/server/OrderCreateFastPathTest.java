package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderCreation;
import dev.orderly.api.OrderlyApplication;
import dev.orderly.core.OrderClient;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.StoreUnavailableException;
import dev.orderly.core.testing.Await;
import dev.orderly.core.testing.ForwardingOrderStore;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path of {@code POST /orders} against Jersey, over real HTTP on servers assembled as
 * {@link OrderlyServer} assembles them, with a counter in front of Jersey that tells which of the
 * two answered. A request sent to {@code /orders?via=jersey} is the same create that the fast path
 * never takes (a query), so Jersey's answer to it is the one the fast path must give byte for byte:
 * status line, headers in order, body.
 */
class OrderCreateFastPathTest {

  private static final String TOKEN = "fast-0123456789abcdef0123456789abcdef";
  private static final String VIA_JERSEY = "/orders?via=jersey";
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** Characters to escape in JSON and to encode in a path, and some beyond ASCII. */
  private static final String AWKWARD_ID = "a/b c?d#e%f\"g\\h;i=j+k&l'm<n>ü€😀";

  private final List<TestServer> servers = new ArrayList<>();
  private final ExecutorService commits = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    servers.forEach(TestServer::close);
    commits.shutdownNow();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Accept: */*",
        "Accept: application/json",
        "Accept: application/*",
        "Content-Type: application/json; charset=UTF-8",
        "Content-Type: APPLICATION/JSON;charset=utf-8",
        "Authorization: Bearer someone-else's"
      })
  void aPlainCreateIsAnsweredByTheFastPathExactlyAsJerseyAnswersIt(String header) {
    Map<String, List<String>> headers = json();
    if (!header.isEmpty()) {
      String[] nameAndValue = header.split(": ", 2);
      headers.put(nameAndValue[0], List.of(nameAndValue[1]));
    }
    TestServer fast = start(UnaryOperator.identity());
    TestServer jersey = start(UnaryOperator.identity());

    RawHttp.Answer created = fast.post("/orders", headers, order(AWKWARD_ID));
    RawHttp.Answer expected = jersey.post(VIA_JERSEY, headers, order(AWKWARD_ID));

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertSameAnswer(created, expected);
    assertThat(fast.jerseyRequests()).isZero();
    assertThat(jersey.jerseyRequests()).isOne();

    RawHttp.Answer again = fast.post("/orders", headers, order(AWKWARD_ID));
    RawHttp.Answer expectedAgain = jersey.post(VIA_JERSEY, headers, order(AWKWARD_ID));

    assertThat(again.status()).isEqualTo(200);
    assertSameAnswer(again, expectedAgain);
    assertThat(fast.jerseyRequests()).isZero();
  }

  @Test
  void aCreateCommittedOnAnotherThreadIsAnsweredAsJerseyAnswersIt() {
    UnaryOperator<OrderStore> later = store -> new CommitsLater(store, commits);
    TestServer fast = start(later);
    TestServer jersey = start(later);

    RawHttp.Answer created = fast.post("/orders", json(), order("7"));
    RawHttp.Answer expected = jersey.post(VIA_JERSEY, json(), order("7"));

    assertThat(created.status()).isEqualTo(201);
    assertSameAnswer(created, expected);
    assertThat(fast.jerseyRequests()).isZero();
  }

  @Test
  void anotherOrderWithTheSameIdIsAnswered409AsJerseyAnswersIt() {
    TestServer fast = start(UnaryOperator.identity());
    TestServer jersey = start(UnaryOperator.identity());
    fast.post("/orders", json(), order("7"));
    jersey.post(VIA_JERSEY, json(), order("7"));
    byte[] other = order("7").replace("9.99", "10.00").getBytes(StandardCharsets.UTF_8);

    RawHttp.Answer conflict = fast.raw.send("POST", "/orders", json(), other);
    RawHttp.Answer expected = jersey.raw.send("POST", VIA_JERSEY, json(), other);

    assertThat(conflict.status()).isEqualTo(409);
    assertSameAnswer(conflict, expected);
    assertThat(fast.jerseyRequests()).isZero();
  }

  @ParameterizedTest(name = "failing {0}")
  @ValueSource(booleans = {false, true})
  void anUnavailableStoreIsAnswered503WithRetryAfterAsJerseyAnswersIt(boolean later) {
    UnaryOperator<OrderStore> failing = store -> new Unavailable(store, later ? commits : null);
    TestServer server = start(failing);

    RawHttp.Answer unavailable = server.post("/orders", json(), order("7"));
    RawHttp.Answer expected = server.post(VIA_JERSEY, json(), order("7"));

    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.header("Retry-After")).isEqualTo("1");
    assertSameAnswer(unavailable, expected);
    assertThat(server.jerseyRequests()).isOne();
  }

  @Test
  void aCreateNotCommittedInTimeIsAnswered503AndTheLateCommitIsIgnored() {
    CompletableFuture<CreateResult> never = new CompletableFuture<>();
    TestServer server =
        start(
            store ->
                new ForwardingOrderStore(store) {
                  @Override
                  public CompletableFuture<CreateResult> createAsync(NewOrder order, Instant now) {
                    return never;
                  }
                },
            Duration.ofMillis(200));
    TestServer unavailable = start(store -> new Unavailable(store, null));

    RawHttp.Answer timedOut = server.post("/orders", json(), order("7"));
    never.complete(
        CreateResult.created(
            Order.create(
                NewOrder.of("7", "user-1", List.of("sku-1"), BigDecimal.ONE), Instant.now())));

    assertSameAnswer(timedOut, unavailable.post(VIA_JERSEY, json(), order("7")));
    Await.until("the timed-out create is timed", DEADLINE, () -> server.count(503) == 1);
    assertThat(server.series(201)).as("the late commit is not answered").isNull();
  }

  /** A create request Jersey must answer: a name and the request. */
  record Delegated(String name, String path, Map<String, List<String>> headers, byte[] body) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Delegated> delegated() {
    byte[] valid = order("d-1").getBytes(StandardCharsets.UTF_8);
    byte[] tooLarge = new byte[OrderlyServer.MAX_REQUEST_BODY_BYTES + 1];
    Arrays.fill(tooLarge, (byte) ' ');
    return Stream.of(
        new Delegated("malformed JSON", "/orders", json(), bytes("{\"order_id\":\"d-1\",")),
        new Delegated("trailing content", "/orders", json(), bytes(order("d-1") + " {}")),
        new Delegated("an unknown field", "/orders", json(), bytes("{\"coupon\":\"X\"}")),
        new Delegated("a blank user id", "/orders", json(), bytes(order("d-1", " "))),
        new Delegated("a JSON array", "/orders", json(), bytes("[1]")),
        new Delegated("invalid UTF-8", "/orders", json(), new byte[] {'{', '"', (byte) 0xC3}),
        new Delegated("an empty body", "/orders", json(), new byte[0]),
        new Delegated("a body over 1 MiB", "/orders", json(), tooLarge),
        new Delegated("a chunked body", "/orders", with("Transfer-Encoding", "chunked"), valid),
        // Any other coding is refused before either (HttpRequestScreenTest).
        new Delegated("an identity coding", "/orders", with("Content-Encoding", "identity"), valid),
        new Delegated("text/plain", "/orders", headers("Content-Type", "text/plain"), valid),
        new Delegated("a charset", "/orders", headers("Content-Type", JSON_LATIN_1), valid),
        new Delegated("Accept: text/html", "/orders", with("Accept", "text/html"), valid),
        new Delegated("Accept with q", "/orders", with("Accept", "application/json;q=0.5"), valid),
        new Delegated("two Accepts", "/orders", with("Accept", "text/html", "*/*"), valid),
        new Delegated("an Origin", "/orders", with("Origin", "https://shop.example.com"), valid),
        new Delegated("a trailing slash", "/orders/", json(), valid),
        new Delegated("an encoded path", "/%6frders", json(), valid));
  }

  private static final String JSON_LATIN_1 = "application/json; charset=ISO-8859-1";

  @ParameterizedTest(name = "{0}")
  @MethodSource("delegated")
  void anythingButThePlainCreateIsJerseysToAnswer(Delegated request) {
    TestServer fast = start(UnaryOperator.identity(), "--cors-origins", "https://shop.example.com");
    TestServer jersey =
        start(UnaryOperator.identity(), "--cors-origins", "https://shop.example.com");

    RawHttp.Answer answer =
        fast.raw.send("POST", request.path(), request.headers(), request.body());
    RawHttp.Answer expected =
        jersey.raw.send("POST", viaJersey(request.path()), request.headers(), request.body());

    assertThat(fast.jerseyRequests()).as("%s", answer).isOne();
    assertSameAnswer(answer, expected);
  }

  @Test
  void withATokenOnlyTheExactBearerHeaderIsTakenAndJerseyJudgesTheRest() {
    TestServer server = start(UnaryOperator.identity(), "--api-token", TOKEN);

    String bearer = "Bearer " + TOKEN;

    RawHttp.Answer right = server.post("/orders", with("Authorization", bearer), order("1"));
    RawHttp.Answer missing = server.post("/orders", json(), order("2"));
    RawHttp.Answer wrong =
        server.post("/orders", with("Authorization", bearer.replace('0', '1')), order("3"));
    RawHttp.Answer twice =
        server.post("/orders", with("Authorization", bearer, bearer), order("4"));
    int taken = 4 - server.jerseyRequests();
    RawHttp.Answer otherSpelling =
        server.post("/orders", with("Authorization", "bearer " + TOKEN), order("5"));

    assertThat(right.status()).isEqualTo(201);
    assertThat(taken).as("requests the fast path took").isOne();
    assertThat(List.of(missing.status(), wrong.status(), twice.status())).containsOnly(401);
    assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(otherSpelling.status()).as("Jersey accepts it too").isEqualTo(201);
    assertThat(server.jerseyRequests()).isEqualTo(4);
  }

  @Test
  void aFastCreateIsTimedInTheSameSeriesAsJerseysCreates() {
    TestServer server = start(UnaryOperator.identity());

    server.post("/orders", json(), order("1"));
    // Recorded once the answer is written, which may be just after the client has it.
    Await.until("the fast create is timed", DEADLINE, () -> server.count(201) == 1);
    assertThat(server.jerseyRequests()).isZero();
    assertThat(server.requests(201).totalTime(TimeUnit.NANOSECONDS)).isPositive();

    server.post(VIA_JERSEY, json(), order("2"));
    Await.until("Jersey's create is timed", DEADLINE, () -> server.count(201) == 2);
    assertThat(server.jerseyRequests()).isOne();
  }

  private static void assertSameAnswer(RawHttp.Answer answer, RawHttp.Answer expected) {
    assertThat(answer.status()).as("%s", answer).isEqualTo(expected.status());
    assertThat(answer.reason()).isEqualTo(expected.reason());
    // In order: the same header lines, as well as the same values.
    assertThat(List.copyOf(answer.headers().entrySet()))
        .as("%s", answer)
        .isEqualTo(List.copyOf(expected.headers().entrySet()));
    assertThat(answer.text()).isEqualTo(expected.text());
  }

  private static String viaJersey(String path) {
    return path + "?via=jersey";
  }

  private static String order(String id) {
    return order(id, "user-1");
  }

  private static String order(String id, String userId) {
    return "{\"order_id\":"
        + quoted(id)
        + ",\"user_id\":"
        + quoted(userId)
        + ",\"item_ids\":[\"sku-1\"],\"total_amount\":9.99}";
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The headers of a JSON create, in order. */
  private static Map<String, List<String>> json() {
    return headers("Content-Type", "application/json");
  }

  private static Map<String, List<String>> with(String name, String... values) {
    Map<String, List<String>> headers = json();
    headers.put(name, List.of(values));
    return headers;
  }

  private static Map<String, List<String>> headers(String name, String value) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put(name, List.of(value));
    return headers;
  }

  private TestServer start(UnaryOperator<OrderStore> wrap, String... options) {
    return start(wrap, OrderCreation.TIMEOUT, options);
  }

  /**
   * A server as {@link OrderlyServer} assembles its HTTP side, over an in-memory store (wrapped to
   * break it), with Jersey behind a counter.
   */
  private TestServer start(UnaryOperator<OrderStore> wrap, Duration timeout, String... options) {
    List<String> args =
        new ArrayList<>(List.of("--in-memory", "--host", "127.0.0.1", "--port", "0"));
    args.addAll(List.of(options));
    ServerConfig config = ServerConfig.parse(args, Map.of());
    OrderClient client = OrderClient.create(wrap.apply(new InMemoryOrderStore()));
    ServerMetrics metrics = ServerMetrics.withoutJvm(Duration.ZERO);
    OrderlyApplication application =
        OrderlyServer.application(config, client, () -> true, null, metrics);
    CountingHandler jersey =
        new CountingHandler(
            ContainerFactory.createContainer(GrizzlyHttpContainer.class, application));
    HttpServer http =
        OrderlyServer.httpServer(
            config,
            new OrderCreateFastPath(
                jersey,
                new OrderCreation(client),
                config.apiToken(),
                OrderlyServer.MAX_REQUEST_BODY_BYTES,
                timeout,
                metrics.httpMeters()));
    try {
      http.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestServer server = new TestServer(http, jersey, metrics);
    servers.add(server);
    return server;
  }

  private static final class TestServer {
    final HttpServer http;
    final CountingHandler jersey;
    final ServerMetrics metrics;
    final RawHttp raw;

    TestServer(HttpServer http, CountingHandler jersey, ServerMetrics metrics) {
      this.http = http;
      this.jersey = jersey;
      this.metrics = metrics;
      this.raw =
          new RawHttp(
              URI.create(
                  "http://127.0.0.1:" + http.getListeners().iterator().next().getPort() + "/"));
    }

    RawHttp.Answer post(String path, Map<String, List<String>> headers, String body) {
      return raw.send("POST", path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    int jerseyRequests() {
      return jersey.requests.get();
    }

    Timer requests(int status) {
      Timer timer = series(status);
      assertThat(timer).as("the timer of POST /orders answered %d", status).isNotNull();
      return timer;
    }

    long count(int status) {
      Timer timer = series(status);
      return timer == null ? 0 : timer.count();
    }

    Timer series(int status) {
      return metrics
          .registry()
          .find("orderly.http.requests")
          .tags("method", "POST", "route", "/orders", "status", Integer.toString(status))
          .timer();
    }

    void close() {
      http.shutdownNow();
      metrics.close();
    }
  }

  /** Jersey, counting the requests it is handed. */
  private static final class CountingHandler extends HttpHandler {
    final AtomicInteger requests = new AtomicInteger();
    private final HttpHandler jersey;

    CountingHandler(HttpHandler jersey) {
      this.jersey = jersey;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
      requests.incrementAndGet();
      jersey.service(request, response);
    }

    @Override
    public void start() {
      jersey.start();
    }

    @Override
    public void destroy() {
      jersey.destroy();
    }
  }

  /** Commits on another thread, as the PostgreSQL store's group commit does. */
  private static final class CommitsLater extends ForwardingOrderStore {
    private final ExecutorService committer;

    CommitsLater(OrderStore delegate, ExecutorService committer) {
      super(delegate);
      this.committer = committer;
    }

    @Override
    public CompletableFuture<CreateResult> createAsync(NewOrder order, Instant now) {
      return CompletableFuture.supplyAsync(() -> create(order, now), committer);
    }
  }

  /** A store whose database is down: at once, or (with a committer) when the commit fails. */
  private static final class Unavailable extends ForwardingOrderStore {
    private final ExecutorService committer;

    Unavailable(OrderStore delegate, ExecutorService committer) {
      super(delegate);
      this.committer = committer;
    }

    @Override
    public CreateResult create(NewOrder order, Instant now) {
      throw new StoreUnavailableException("connection refused", null);
    }

    @Override
    public CompletableFuture<CreateResult> createAsync(NewOrder order, Instant now) {
      return committer == null
          ? super.createAsync(order, now)
          : CompletableFuture.supplyAsync(() -> create(order, now), committer);
    }
  }
}
