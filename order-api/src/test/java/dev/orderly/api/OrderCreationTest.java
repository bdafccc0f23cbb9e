package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderConflictException;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.StoreUnavailableException;
import dev.orderly.core.testing.ForwardingOrderStore;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OrderCreation} answers byte for byte as the Jersey application does: each case runs the
 * same create through the application (in memory) and through {@code OrderCreation} on a second,
 * identical store, and compares status, headers and body.
 */
class OrderCreationTest {

  /** Characters that need escaping in JSON or encoding in a path, and some beyond ASCII. */
  private static final String AWKWARD_ID = "a/b c?d#e%f\"g\\h;i=j+k&l'm<n>ü€😀";

  @ParameterizedTest
  @ValueSource(strings = {"11", "order-7", AWKWARD_ID})
  void aNewOrderIsAnswered201AsTheApplicationAnswersIt(String id) {
    String body = order(id);

    assertSameAnswer(null, body, 201);
  }

  @Test
  void theSameOrderAgainIsAnswered200AsTheApplicationAnswersIt() {
    ApiFixture viaJersey = new ApiFixture();
    ApiFixture viaCreation = new ApiFixture();
    String body = order(AWKWARD_ID);
    viaJersey.http.post("/orders", body);
    submit(viaCreation, body);

    InMemoryHttp.Answer expected = viaJersey.http.post("/orders", body);
    OrderCreation.Answer answer = submit(viaCreation, body);

    assertThat(answer.status()).isEqualTo(200);
    assertSame(answer, expected);
    assertThat(answer.headers()).doesNotContainKey("Location");
  }

  @Test
  void anotherOrderWithTheSameIdIsAnswered409AsTheApplicationAnswersIt() {
    ApiFixture viaJersey = new ApiFixture();
    ApiFixture viaCreation = new ApiFixture();
    viaJersey.http.post("/orders", ApiFixture.order("7", "1"));
    submit(viaCreation, ApiFixture.order("7", "1"));

    InMemoryHttp.Answer expected = viaJersey.http.post("/orders", ApiFixture.order("7", "2"));
    OrderCreation.Answer answer = submit(viaCreation, ApiFixture.order("7", "2"));

    assertThat(answer.status()).isEqualTo(409);
    assertSame(answer, expected);
  }

  @Test
  void anUnavailableStoreIsAnswered503WithRetryAfterAsTheApplicationAnswersIt() {
    Supplier<RuntimeException> outage =
        () -> new StoreUnavailableException("pool exhausted", new SQLException("timeout"));

    OrderCreation.Answer answer = assertSameAnswer(failing(outage), order("1"), 503);

    assertThat(answer.headers()).containsEntry("Retry-After", List.of("1"));
  }

  @Test
  void aStoreThatFailsLaterIsAnsweredLikeOneThatFailsAtOnce() {
    ApiFixture viaJersey = new ApiFixture(failing(() -> new StoreUnavailableException("x", null)));
    OrderCreation creation = new OrderCreation(new ApiFixture(LaterStore::new).client);
    InMemoryHttp.Answer expected = viaJersey.http.post("/orders", order("1"));

    OrderCreation.Answer answer = creation.submit(parse(creation, order("1"))).join();

    assertSame(answer, expected);
  }

  @Test
  void anUnexpectedFailureIsAnswered500WithAReferenceAsTheApplicationAnswersIt() {
    UnaryOperator<OrderStore> broken = failing(() -> new IllegalStateException("secret"));
    ApiFixture viaJersey = new ApiFixture(broken);
    OrderCreation creation = new OrderCreation(new ApiFixture(broken).client);
    InMemoryHttp.Answer expected = viaJersey.http.post("/orders", order("1"));

    OrderCreation.Answer answer = creation.submit(parse(creation, order("1"))).join();

    assertThat(answer.status()).isEqualTo(500);
    // Each failure gets its own reference; everything else is the same.
    assertThat(withoutReference(text(answer))).isEqualTo(withoutReference(expected.body()));
    assertThat(lowerCase(answer.headers())).isEqualTo(withoutLength(expected));
  }

  @Test
  void aCreateThatTimedOutIsAnswered503AsAnUnavailableStoreIs() {
    OrderCreation.Answer unavailable =
        new OrderCreation(new ApiFixture().client)
            .failure(new StoreUnavailableException("pool exhausted", null));

    OrderCreation.Answer answer = new OrderCreation(new ApiFixture().client).timedOut();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.headers()).isEqualTo(unavailable.headers());
    assertThat(answer.body()).isEqualTo(unavailable.body());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.orderly.api.BadInputTest#badBodies")
  void aBodyTheApplicationRefusesIsNotParsed(String name, String body, int status, String field) {
    OrderCreation creation = new OrderCreation(new ApiFixture().client);

    assertThat(creation.parse(body.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsNotParsedEvenWhenValid() {
    OrderCreation creation = new OrderCreation(new ApiFixture().client);
    String padded = order("1").replace("{", "{" + " ".repeat(BodySizeLimitFilter.MAX_BODY_BYTES));

    assertThat(creation.parse(padded.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"order_id\":11,\"user_id\":7,\"item_ids\":\"a, b\",\"total_amount\":100}",
        "{\"user_id\":\"u\",\"item_ids\":[1,\"b\"],\"total_amount\":0.5}",
        "\uFEFF{\"order_id\":\"x\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1e1}"
      })
  void aValidBodyIsParsedToTheOrderTheApplicationStores(String body) {
    ApiFixture viaJersey = new ApiFixture();
    OrderCreation creation = new OrderCreation(new ApiFixture().client);
    JsonNode created = ApiFixture.json(viaJersey.http.post("/orders", body).body());

    NewOrder order = parse(creation, body);

    Order stored =
        viaJersey.client.find(OrderId.of(created.path("order_id").asText())).orElseThrow();
    // Without an order_id each side draws its own random id; the rest must be the same.
    assertThat(
            stored.hasSameContent(
                NewOrder.of(
                    stored.orderId().value(),
                    order.userId(),
                    order.itemIds(),
                    order.totalAmount())))
        .as("%s and %s", stored, order)
        .isTrue();
    assertThat(order.orderId().equals(stored.orderId())).isEqualTo(body.contains("order_id"));
  }

  @Test
  void theLocationEncodesTheIdAsUriBuilderDoes() {
    StringBuilder everyPrintableAscii = new StringBuilder();
    IntStream.rangeClosed(0x20, 0x7e).forEach(c -> everyPrintableAscii.append((char) c));
    for (String id :
        List.of(everyPrintableAscii.toString(), AWKWARD_ID, "%20", "%zz", "{id}", "ü", "😀")) {
      assertThat(OrderCreation.location(OrderId.of(id)))
          .as(id)
          .isEqualTo(UriBuilder.fromPath("/orders/{id}").build(id).toString());
    }
  }

  @Test
  void eachMapperIsFoundByTheTypeItMaps() {
    for (Object mapper : ExceptionMappers.all()) {
      assertThat(ExceptionMapper.class.isInstance(mapper)).isTrue();
      assertThat(Throwable.class.isAssignableFrom(ExceptionMappers.mappedType(mapper.getClass())))
          .as("%s", mapper)
          .isTrue();
    }
    assertThat(ExceptionMappers.toResponse(new OrderConflictException(OrderId.of("1"))).getStatus())
        .isEqualTo(409);
    assertThat(ExceptionMappers.toResponse(new JsonParseException(null, "x")).getStatus())
        .isEqualTo(400);
    assertThat(ExceptionMappers.toResponse(new IllegalStateException()).getStatus()).isEqualTo(500);
  }

  /** Creates {@code body} on a fresh store each way; asserts and returns the creation's answer. */
  private static OrderCreation.Answer assertSameAnswer(
      UnaryOperator<OrderStore> store, String body, int status) {
    ApiFixture viaJersey = new ApiFixture(store);
    ApiFixture viaCreation = new ApiFixture(store);
    InMemoryHttp.Answer expected = viaJersey.http.post("/orders", body);

    OrderCreation.Answer answer = submit(viaCreation, body);

    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    assertSame(answer, expected);
    return answer;
  }

  private static OrderCreation.Answer submit(ApiFixture api, String body) {
    OrderCreation creation = new OrderCreation(api.client);
    return creation.submit(parse(creation, body)).join();
  }

  private static NewOrder parse(OrderCreation creation, String body) {
    Optional<NewOrder> order = creation.parse(body.getBytes(StandardCharsets.UTF_8));
    assertThat(order).as(body).isPresent();
    return order.orElseThrow();
  }

  private static void assertSame(OrderCreation.Answer answer, InMemoryHttp.Answer expected) {
    assertThat(answer.status()).isEqualTo(expected.status());
    assertThat(lowerCase(answer.headers())).isEqualTo(withoutLength(expected));
    assertThat(text(answer)).isEqualTo(expected.body());
  }

  /** The headers but Content-Length, which the HTTP layer adds; checked against the body here. */
  private static Map<String, List<String>> withoutLength(InMemoryHttp.Answer answer) {
    Map<String, List<String>> headers = new LinkedHashMap<>(answer.headers());
    assertThat(headers.remove("content-length"))
        .containsExactly(Integer.toString(answer.body().getBytes(StandardCharsets.UTF_8).length));
    return headers;
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> lower = new LinkedHashMap<>();
    headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), values));
    return lower;
  }

  private static String text(OrderCreation.Answer answer) {
    return new String(answer.body(), StandardCharsets.UTF_8);
  }

  private static String withoutReference(String problem) {
    ObjectNode node = (ObjectNode) ApiFixture.json(problem);
    String reference = node.remove("error_id").asText();
    node.put("detail", node.path("detail").asText().replace(reference, "REF"));
    return node.toString();
  }

  private static String order(String id) {
    ObjectNode order = ApiFixture.JSON.createObjectNode();
    order.put("order_id", id);
    order.put("user_id", "user-1");
    order.putArray("item_ids").add("sku-1");
    order.put("total_amount", 9.99);
    return order.toString();
  }

  private static UnaryOperator<OrderStore> failing(Supplier<RuntimeException> failure) {
    return store ->
        new ForwardingOrderStore(store) {
          @Override
          public CreateResult create(NewOrder order, Instant now) {
            throw failure.get();
          }
        };
  }

  /** Fails the way a group commit does: the future completes exceptionally after the call. */
  private static final class LaterStore extends ForwardingOrderStore {
    LaterStore(OrderStore delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<CreateResult> createAsync(NewOrder order, Instant now) {
      return CompletableFuture.supplyAsync(
          () -> {
            throw new StoreUnavailableException("x", null);
          });
    }
  }
}
