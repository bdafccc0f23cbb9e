package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.OrderPage;
import dev.orderly.core.store.OrderQuery;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.StoreUnavailableException;
import dev.orderly.core.testing.ForwardingOrderStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A store that cannot answer gives 503 with Retry-After (backpressure); a store that breaks in an
 * unforeseen way gives 500 with only a reference. The failing store is a forwarding wrapper: a
 * database outage cannot be made real in an in-memory test.
 */
class StoreFailureTest {

  /** Every call that reaches the store, with a request that makes it. */
  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("POST", "/orders", ApiFixture.order("1", "10")),
        Arguments.of("POST", "/orders/batch", "{\"orders\":[" + ApiFixture.order("1", "10") + "]}"),
        Arguments.of("GET", "/orders/1", null),
        Arguments.of("GET", "/orders/1/status", null),
        Arguments.of("GET", "/orders?limit=5", null),
        Arguments.of("POST", "/orders/1/cancel", null),
        Arguments.of("POST", "/orders/1/retry", null),
        Arguments.of("GET", "/metrics", null),
        Arguments.of("GET", "/metrics/1", null));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("requests")
  void anUnavailableStoreIs503WithRetryAfter(String method, String path, String body) {
    ApiFixture api =
        new ApiFixture(
            store ->
                new FailingStore(
                    store,
                    () ->
                        new StoreUnavailableException(
                            "pool exhausted", new SQLException("timeout after 5000ms"))));

    InMemoryHttp.Answer answer = send(api, method, path, body);

    JsonNode problem = assertProblem(answer, 503);
    assertThat(answer.header("Retry-After")).isEqualTo("1");
    assertThat(problem.path("type").asText()).endsWith("/service-unavailable");
    assertThat(answer.body()).doesNotContain("pool", "SQL", "timeout after");
    assertThat(api.storedOrders()).isZero();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("requests")
  void anUnexpectedFailureIs500WithOnlyAReference(String method, String path, String body) {
    ApiFixture api =
        new ApiFixture(
            store ->
                new FailingStore(
                    store,
                    () ->
                        new IllegalStateException(
                            "secret: SELECT * FROM orders in dev.orderly.persistence.Jdbc")));

    InMemoryHttp.Answer answer = send(api, method, path, body);

    JsonNode problem = assertProblem(answer, 500);
    String errorId = problem.path("error_id").asText();
    assertThat(errorId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(problem.path("detail").asText()).contains(errorId);
    assertThat(answer.body())
        .doesNotContain("secret", "SELECT", "dev.orderly", "IllegalState", "Exception", "at ");
  }

  @Test
  void everyUnexpectedFailureGetsItsOwnReference() {
    ApiFixture api = new ApiFixture(store -> new FailingStore(store, IllegalStateException::new));

    String first = ApiFixture.json(api.http.get("/metrics").body()).path("error_id").asText();
    String second = ApiFixture.json(api.http.get("/metrics").body()).path("error_id").asText();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void theUnexpectedErrorIsLoggedWithItsStackTraceUnderTheReferenceTheClientSees() {
    Logger logger =
        (Logger) LoggerFactory.getLogger(ExceptionMappers.UnexpectedExceptionMapper.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level level = logger.getLevel();
    boolean additive = logger.isAdditive();
    logger.setLevel(Level.ERROR);
    // Captured only, not printed: the stack trace is expected here.
    logger.setAdditive(false);
    logger.addAppender(appender);
    try {
      ApiFixture api =
          new ApiFixture(store -> new FailingStore(store, () -> new IllegalStateException("boom")));

      String errorId = ApiFixture.json(api.http.get("/metrics").body()).path("error_id").asText();

      assertThat(appender.list).hasSize(1);
      ILoggingEvent event = appender.list.get(0);
      assertThat(event.getLevel()).isEqualTo(Level.ERROR);
      assertThat(event.getFormattedMessage()).contains(errorId);
      assertThat(event.getThrowableProxy().getMessage()).isEqualTo("boom");
    } finally {
      logger.detachAppender(appender);
      logger.setAdditive(additive);
      logger.setLevel(level);
    }
  }

  private static InMemoryHttp.Answer send(ApiFixture api, String method, String path, String body) {
    InMemoryHttp.Request request = api.http.request(method, path);
    if (body != null) {
      request.json(body);
    }
    return request.send();
  }

  /** A store whose every call used by the API throws the given failure. */
  private static final class FailingStore extends ForwardingOrderStore {
    private final Supplier<RuntimeException> failure;

    FailingStore(OrderStore delegate, Supplier<RuntimeException> failure) {
      super(delegate);
      this.failure = failure;
    }

    @Override
    public CreateResult create(NewOrder order, Instant now) {
      throw failure.get();
    }

    @Override
    public List<CreateResult> createAll(List<NewOrder> orders, Instant now) {
      throw failure.get();
    }

    @Override
    public Optional<Order> find(OrderId orderId) {
      throw failure.get();
    }

    @Override
    public OrderPage list(OrderQuery query) {
      throw failure.get();
    }

    @Override
    public Order cancel(OrderId orderId, Instant now) {
      throw failure.get();
    }

    @Override
    public Order retry(OrderId orderId, Instant now) {
      throw failure.get();
    }

    @Override
    public OrderStatistics statistics() {
      throw failure.get();
    }
  }
}
