package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static dev.orderly.api.ApiFixture.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad input answers 4xx problem+json naming what is wrong, never a 5xx, and stores
 * nothing.
 */
class BadInputTest {

  private static final String ID_129 = "x".repeat(129);
  private static final String DIGITS_200 = "9".repeat(200);

  private final ApiFixture api = new ApiFixture();
  private long storedBefore;

  @BeforeEach
  void oneOrderExists() {
    assertThat(api.http.post("/orders", ApiFixture.order("existing", "1")).status()).isEqualTo(201);
    storedBefore = api.storedOrders();
  }

  /** A body, the status it must get, and the field its problem must name (null: none). */
  static Stream<Arguments> badBodies() {
    return Stream.of(
        bad("malformed JSON", "{\"order_id\":", 400, null),
        bad("not JSON at all", "order please", 400, null),
        bad("an array instead of an object", "[1,2]", 400, "body"),
        bad("a bare string", "\"11\"", 400, "body"),
        bad("trailing content", order("1") + " {}", 400, null),
        bad("a duplicate key", "{\"user_id\":\"a\",\"user_id\":\"b\"}", 400, null),
        bad("an unknown field", order("1").replace("{", "{\"coupon\":\"X\","), 400, "coupon"),
        bad("a boolean user id", with("\"user_id\":true"), 400, "user_id"),
        bad("an object order id", with("\"order_id\":{}"), 400, "order_id"),
        bad("a fractional order id", with("\"order_id\":1.5"), 400, "order_id"),
        bad("a blank user id", with("\"user_id\":\" \""), 400, "user_id"),
        bad("no user id", "{\"item_ids\":[\"a\"],\"total_amount\":1}", 400, "user_id"),
        bad(
            "an order id over 128 characters",
            with("\"order_id\":\"" + ID_129 + "\""),
            400,
            "order_id"),
        bad("a 200-digit integer order id", with("\"order_id\":" + DIGITS_200), 400, "order_id"),
        bad(
            "a user id over 128 characters",
            with("\"user_id\":\"" + ID_129 + "\""),
            400,
            "user_id"),
        bad("no amount", "{\"user_id\":\"u\",\"item_ids\":[\"a\"]}", 400, "total_amount"),
        bad("a negative amount", with("\"total_amount\":-1"), 400, "total_amount"),
        bad("an amount as text", with("\"total_amount\":\"abc\""), 400, "total_amount"),
        bad("an amount as numeric text", with("\"total_amount\":\"100\""), 400, "total_amount"),
        bad("NaN as text", with("\"total_amount\":\"NaN\""), 400, "total_amount"),
        bad("NaN as a bare token", with("\"total_amount\":NaN"), 400, null),
        bad("Infinity as a bare token", with("\"total_amount\":Infinity"), 400, null),
        bad("a boolean amount", with("\"total_amount\":true"), 400, "total_amount"),
        bad("an amount of 1e400", with("\"total_amount\":1e400"), 400, "total_amount"),
        bad("an amount of -1e400", with("\"total_amount\":-1e400"), 400, "total_amount"),
        bad("an amount of 1e-400", with("\"total_amount\":1e-400"), 400, "total_amount"),
        bad("an exponent that overflows", with("\"total_amount\":1e9999999999"), 400, null),
        bad("a number of 300 digits", with("\"total_amount\":" + "1".repeat(300)), 400, null),
        bad(
            "an amount above the maximum",
            with("\"total_amount\":1000000000000000"),
            400,
            "total_amount"),
        bad("three decimals", with("\"total_amount\":1.005"), 400, "total_amount"),
        bad("no items", "{\"user_id\":\"u\",\"total_amount\":1}", 400, "item_ids"),
        bad("an empty item list", with("\"item_ids\":[]"), 400, "item_ids"),
        bad("an empty item string", with("\"item_ids\":\"\""), 400, "item_ids"),
        bad("a blank item", with("\"item_ids\":[\"a\",\" \"]"), 400, "item_ids[1]"),
        bad("a null item", with("\"item_ids\":[\"a\",null]"), 400, "item_ids[1]"),
        bad("an item as an object", with("\"item_ids\":{\"a\":1}"), 400, "item_ids"),
        bad("1,001 items", with("\"item_ids\":" + items(1_001)), 400, "item_ids"),
        bad(
            "an item over 128 characters",
            with("\"item_ids\":[\"" + ID_129 + "\"]"),
            400,
            "item_ids[0]"),
        bad("nesting 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000), 400, null),
        bad("an object nested 100 deep", "{\"a\":".repeat(100) + "1" + "}".repeat(100), 400, null));
  }

  private static Arguments bad(String name, String body, int status, String field) {
    return Arguments.of(name, body, status, field);
  }

  private static String order(String id) {
    return ApiFixture.order(id, "10");
  }

  /** A valid order with one member replaced (or added). */
  private static String with(String member) {
    String name = member.substring(0, member.indexOf(':'));
    String base =
        "{\"order_id\":\"new\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":10}";
    String replaced =
        base.replaceAll(
            java.util.regex.Pattern.quote(name) + ":(\"[^\"]*\"|\\[[^]]*]|[0-9.]+)",
            java.util.regex.Matcher.quoteReplacement(member));
    return replaced.equals(base) ? base.replace("{", "{" + member + ",") : replaced;
  }

  private static String items(int count) {
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      items.append(i == 0 ? "" : ",").append('"').append("sku-").append(i).append('"');
    }
    return items.append(']').toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadCreateIsA4xxProblemNamingTheFieldAndStoresNothing(
      String name, String body, int status, String field) {
    InMemoryHttp.Answer answer = api.http.post("/orders", body);

    JsonNode problem = assertProblem(answer, status);
    if (field != null) {
      assertThat(fields(problem)).contains(field);
      assertThat(problem.path("detail").asText()).contains(field);
    }
    assertThat(answer.body())
        .doesNotContain("com.fasterxml", "java.", "Exception", "`", "Feature", "enable");
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadOrderInABatchIsReportedAsInvalidAndTheRestIsStored(
      String name, String body, int status, String field) {
    String batch = "{\"orders\":[" + ApiFixture.order("good", "1") + "," + body + "]}";

    InMemoryHttp.Answer answer = api.http.post("/orders/batch", batch);

    if (answer.status() == 200) {
      // The bad order parsed as JSON: it is one invalid result; the good one is stored.
      JsonNode result = ApiFixture.json(answer.body()).path("results").path(1);
      assertThat(result.path("outcome").asText()).isEqualTo("invalid");
      if (field != null) {
        assertThat(result.path("errors").findValuesAsText("field")).contains(field);
      }
      assertThat(api.storedOrders()).isEqualTo(storedBefore + 1);
    } else {
      // The bad order breaks the JSON of the whole batch: nothing is stored.
      assertProblem(answer, 400);
      assertThat(api.storedOrders()).isEqualTo(storedBefore);
    }
  }

  @Test
  void aBodyDeclaredOver1MibIs413BeforeItIsRead() {
    InputStream unread =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the body was read");
          }
        };
    InMemoryHttp.Answer answer =
        api.http.request("POST", "/orders").stream("application/json", unread)
            .header("Content-Length", Integer.toString(BodySizeLimitFilter.MAX_BODY_BYTES + 1))
            .send();

    assertProblem(answer, 413);
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void aChunkedBodyOver1MibIs413() {
    String huge = "{\"user_id\":\"" + "u".repeat(BodySizeLimitFilter.MAX_BODY_BYTES) + "\"}";
    InMemoryHttp.Answer answer =
        api.http.request("POST", "/orders").stream(
                "application/json", new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))
            .send();

    assertProblem(answer, 413);
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void aBodyThatUnderstatesItsLengthIsStill413() {
    String huge = "[\"" + "u".repeat(BodySizeLimitFilter.MAX_BODY_BYTES) + "\"]";
    InMemoryHttp.Answer answer =
        api.http.request("POST", "/orders/batch").stream(
                "application/json", new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))
            .header("Content-Length", "10")
            .send();

    assertProblem(answer, 413);
  }

  /** The connection closed mid-body: the client's fault, a 400, not the 500 of a bug. */
  @ParameterizedTest
  @ValueSource(strings = {"/orders", "/orders/batch"})
  void aBodyThatEndsBeforeItsLengthIs400(String path) {
    byte[] start = "{\"order_id\":\"cut".getBytes(StandardCharsets.UTF_8);
    InputStream cut =
        new SequenceInputStream(
            new ByteArrayInputStream(start),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new EOFException("the connection closed");
              }
            });
    InMemoryHttp.Answer answer =
        api.http.request("POST", path).stream("application/json", cut)
            .header("Content-Length", "100")
            .send();

    JsonNode problem = assertProblem(answer, 400);
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("body");
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void aBodyOfExactly1MibIsRead() {
    String order =
        "{\"order_id\":\"big\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}";
    String padded = order + " ".repeat(BodySizeLimitFilter.MAX_BODY_BYTES - order.length());

    InMemoryHttp.Answer answer = api.http.post("/orders", padded);

    assertThat(answer.status()).isEqualTo(201);
  }

  @Test
  void anEmptyBodyIs400() {
    assertProblem(api.http.post("/orders", ""), 400);
    assertProblem(api.http.request("POST", "/orders").send(), 400);
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void aWrongContentTypeIs415() {
    InMemoryHttp.Answer answer =
        api.http.request("POST", "/orders").stream(
                "text/plain", new ByteArrayInputStream(order("x").getBytes(StandardCharsets.UTF_8)))
            .send();

    assertProblem(answer, 415);
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void anUnknownPathIs404() {
    InMemoryHttp.Answer answer = api.http.get("/no/such/thing");

    assertProblem(answer, 404);
  }

  @Test
  void aWrongMethodIs405WithTheAllowedMethods() {
    InMemoryHttp.Answer answer = api.http.request("DELETE", "/orders/existing").send();

    JsonNode problem = assertProblem(answer, 405);
    assertThat(answer.header("Allow")).contains("GET");
    assertThat(problem.path("detail").asText()).contains("GET");
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void anAcceptThatIsNotJsonIs406() {
    InMemoryHttp.Answer answer =
        api.http.request("GET", "/orders/existing").header("Accept", "text/html").send();

    assertProblem(answer, 406);
  }

  @Test
  void anOverLongIdInAPathIs400NamingIt() {
    JsonNode problem = assertProblem(api.http.get("/orders/" + ID_129 + "/status"), 400);

    assertThat(fields(problem)).containsExactly("order_id");
  }

  @Test
  void aBatchBodyThatIsNotABatchIs400NamingTheField() {
    assertThat(fields(assertProblem(api.http.post("/orders/batch", "[]"), 400)))
        .containsExactly("body");
    assertThat(fields(assertProblem(api.http.post("/orders/batch", "{}"), 400)))
        .containsExactly("orders");
    assertThat(fields(assertProblem(api.http.post("/orders/batch", "{\"orders\":[]}"), 400)))
        .containsExactly("orders");
    assertThat(
            fields(
                assertProblem(api.http.post("/orders/batch", "{\"orders\":[],\"extra\":1}"), 400)))
        .containsExactly("extra");
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }

  @Test
  void aHugeUnknownFieldNameIsEchoedOnlyInPart() {
    String name = "n".repeat(JsonMapperProvider.MAX_NAME_LENGTH);

    InMemoryHttp.Answer answer = api.http.post("/orders", with("\"" + name + "\":1"));

    JsonNode problem = assertProblem(answer, 400);
    assertThat(fields(problem)).contains("n".repeat(FieldNames.MAX_SHOWN) + "...");
    assertThat(answer.body().length()).isLessThan(1_000);
  }

  @Test
  void aFieldNameOverTheParserLimitIsMalformedJson() {
    String name = "n".repeat(JsonMapperProvider.MAX_NAME_LENGTH + 1);

    InMemoryHttp.Answer answer = api.http.post("/orders", with("\"" + name + "\":1"));

    assertThat(assertProblem(answer, 400).path("type").asText()).endsWith("/malformed-json");
    assertThat(answer.body()).doesNotContain(name);
  }

  @Test
  void manyUnknownFieldsAreNamedOnlyUpToALimit() {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      members.append("\"f").append(i).append("\":1,");
    }

    InMemoryHttp.Answer answer =
        api.http.post(
            "/orders", "{" + members + "\"user_id\":\"u\",\"item_ids\":\"a\",\"total_amount\":1}");

    JsonNode problem = assertProblem(answer, 400);
    assertThat(fields(problem)).hasSize(FieldNames.MAX_UNKNOWN_REPORTED);
    assertThat(api.storedOrders()).isEqualTo(storedBefore);
  }
}
