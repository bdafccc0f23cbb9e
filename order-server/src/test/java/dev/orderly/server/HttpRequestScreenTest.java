package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that HTTP/1.1 forbids or the API cannot serve, sent over raw sockets to a server that
 * requires an API token, without the token: each is refused with the documented status in
 * problem+json, before the token check, with no server version, class name or HTML anywhere, and
 * the connection is closed after the answer. Also what Grizzly answers itself when a handler fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpRequestScreenTest {

  private static final String TOKEN = "screen-test-token";
  private static final String ORDER =
      "{\"order_id\":\"%s\",\"user_id\":\"u-1\",\"item_ids\":[\"sku-1\"],\"total_amount\":9.99}";
  private static final int TIMEOUT_MILLIS = 10_000;

  private OrderlyServer server;

  @BeforeAll
  void start() {
    server =
        OrderlyServer.start(
            ServerConfig.parse(
                List.of("--host", "127.0.0.1", "--port", "0", "--in-memory", "--api-token", TOKEN),
                Map.of()));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        // Malformed percent-encoding anywhere in the target, and raw bytes that must be encoded.
        refused("GET /orders/%ZZ/status HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders?cursor=%%% HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders?status=%ZZ HTTP/1.1\r\n", 400, "target"),
        refused("GET /metrics/%ZZ HTTP/1.1\r\n", 400, "target"),
        refused("POST /orders/%/cancel HTTP/1.1\r\nContent-Length: 0\r\n", 400, "target"),
        refused("GET /orders/%4 HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders/caf\u00e9 HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders/a\u0000b HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders?user_id=a\u0001b HTTP/1.1\r\n", 400, "target"),
        refused("GET * HTTP/1.1\r\n", 400, "target"),
        // Characters java.net.URI refuses in a path, with which Jersey reads it.
        refused("GET /orders/a|b HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders/a{b}/status HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders/a[b] HTTP/1.1\r\n", 400, "target"),
        refused("GET /orders/a\\b HTTP/1.1\r\n", 400, "target"),
        // A request line without a target; a version the server does not speak.
        refused("GET HTTP/1.1\r\n", 400, "request line"),
        refused("GET /health/live HTTP/2.0\r\n", 505, "version"),
        // Headers Jersey cannot parse, or that come twice where one is allowed.
        refused("GET /metrics HTTP/1.1\r\nAccept: text/plain;q=abc\r\n", 400, "Accept"),
        refused("GET /metrics HTTP/1.1\r\nAccept: ;;;===\r\n", 400, "Accept"),
        refused(
            "POST /orders HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n",
            400,
            "Content-Type"),
        refused(
            "POST /orders HTTP/1.1\r\nContent-Type: application/\r\nContent-Length: 2\r\n",
            400,
            "Content-Type"),
        refused("GET /health/live HTTP/1.1\r\nHost: a b\r\n", 400, "Host"),
        refused("GET /health/live HTTP/1.1\r\nHost: my_host:8080\r\n", 400, "Host"),
        refused("GET /health/live HTTP/1.1\r\nHost: x\r\nHost: y\r\n", 400, "Host"),
        // A body in a coding the API does not read, or framed in a way it cannot trust.
        refused(
            "POST /orders HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Content-Encoding: br\r\nContent-Length: 2\r\n",
            415,
            "Content-Encoding"),
        refused(
            "POST /orders HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: gzip, chunked\r\n",
            400,
            "Transfer-Encoding"));
  }

  private static Arguments refused(String head, int status, String field) {
    return Arguments.of(head, status, field);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedWithAProblemBeforeTheTokenCheckAndTheConnectionClosed(
      String head, int status, String field) {
    // Without Connection: close, the read to the end proves that the server closed it.
    String request =
        head.contains("\r\nHost: ") ? head : head.replaceFirst("\r\n", "\r\nHost: x\r\n");
    boolean hasBody = head.contains("Content-Length: 2") || head.contains("Transfer-Encoding");
    RawHttp.Answer answer =
        exchangeToTheEnd(bytes(request + "\r\n" + (hasBody ? "{}" : "")), 1).get(0);

    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    JsonNode problem = problem(answer);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo(field);
  }

  /**
   * RFC 9112 section 6.3: a request with both {@code Transfer-Encoding: chunked} and {@code
   * Content-Length} is refused and its connection closed, so the request smuggled behind its body
   * is never read, let alone answered.
   */
  @Test
  void chunkedWithContentLengthIsRefusedAndTheRequestBehindItIsNeverAnswered() {
    String body = ORDER.formatted("smuggled-1");
    String request =
        "POST /orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Length: 5\r\n\r\n"
            + Integer.toHexString(body.length())
            + "\r\n"
            + body
            + "\r\n0\r\n\r\n"
            + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

    List<RawHttp.Answer> answers = exchangeToTheEnd(bytes(request), 2);

    assertThat(answers).as("answers on the connection").hasSize(1);
    RawHttp.Answer answer = answers.get(0);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
    assertThat(problem(answer).path("errors").get(0).path("field").asText())
        .isEqualTo("Content-Length");
    assertThat(authorized("GET /orders/smuggled-1").status()).isEqualTo(404);
  }

  /** A gzip body is refused with 415 naming the coding, and nothing is stored. */
  @Test
  void aGzipBodyIsRefusedNamingTheCodingAndNothingIsStored() throws IOException {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(bytes(ORDER.formatted("gzip-1")));
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        bytes(
            "POST /orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: "
                + gzipped.size()
                + "\r\n\r\n"));
    request.writeBytes(gzipped.toByteArray());

    RawHttp.Answer answer = exchangeToTheEnd(request.toByteArray(), 1).get(0);

    assertThat(answer.status()).isEqualTo(415);
    JsonNode problem = problem(answer);
    assertThat(problem.path("type").asText()).endsWith("/unsupported-media-type");
    assertThat(problem.path("detail").asText()).contains("gzip");
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("Content-Encoding");
    assertThat(authorized("GET /orders/gzip-1").status()).isEqualTo(404);
  }

  /** What the screen must let through: it refuses only what is broken. */
  @Test
  void wellFormedRequestsAreServedAsBefore() {
    assertThat(
            authorized(
                    "POST /orders HTTP/1.1\r\nContent-Type: application/json; charset=utf-8\r\n"
                        + "Content-Encoding: identity\r\n",
                    ORDER.formatted("identity-1"))
                .status())
        .isEqualTo(201);
    assertThat(
            authorized(
                    "GET /metrics HTTP/1.1\r\nAccept: text/html,application/xhtml+xml,"
                        + "application/xml;q=0.9,*/*;q=0.8\r\n",
                    null)
                .status())
        .isEqualTo(200);
    RawHttp.Answer encoded = authorized("GET /orders/no%20such%2Dorder");
    assertThat(encoded.status()).isEqualTo(404);
    problem(encoded);
    assertThat(
            authorized("GET /orders?limit=1&user_id=u-1 HTTP/1.0\r\nHost: 127.0.0.1:1\r\n", null)
                .status())
        .isEqualTo(200);
    assertThat(authorized("GET http://x/health/live HTTP/1.1\r\n", null).status()).isEqualTo(200);
    assertThat(authorized("GET /health/live HTTP/1.1\r\nHost: [::1]:8080\r\n", null).status())
        .isEqualTo(200);
    // Jersey encodes these in a query itself: the API judges the value.
    RawHttp.Answer query = authorized("GET /orders?status=a|b");
    assertThat(query.status()).isEqualTo(400);
    assertThat(problem(query).path("errors").get(0).path("field").asText()).isEqualTo("status");
  }

  /** An exception escaping a handler, answered by Grizzly itself: problem+json with an id. */
  @Test
  void anErrorGrizzlyAnswersItselfIsAProblemWithAnIdAndNoStackTrace() throws IOException {
    HttpServer failing =
        OrderlyServer.httpServer(
            ServerConfig.parse(List.of("--host", "127.0.0.1", "--port", "0"), Map.of()),
            new HttpHandler() {
              @Override
              public void service(Request request, Response response) {
                throw new IllegalStateException("a bug in dev.orderly.server.Somewhere");
              }
            });
    failing.start();
    try (Socket socket =
        new Socket("127.0.0.1", failing.getListeners().iterator().next().getPort())) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket
          .getOutputStream()
          .write(bytes("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      byte[] raw = socket.getInputStream().readAllBytes();
      RawHttp.Answer answer = RawHttp.parse(raw);

      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.header("content-type")).startsWith("application/problem+json");
      JsonNode problem = TestHttp.parse(answer.text());
      assertThat(problem.path("type").asText()).endsWith("/internal-error");
      assertThat(problem.path("error_id").asText()).isNotBlank();
      assertRevealsNothing(new String(raw, StandardCharsets.ISO_8859_1));
    } finally {
      failing.shutdownNow();
    }
  }

  /**
   * Writes {@code request} on a new connection and reads until the server closes it; fails if it
   * stays open. The answers found, at most {@code expected} + 1 of them.
   */
  private List<RawHttp.Answer> exchangeToTheEnd(byte[] request, int expected) {
    try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.getOutputStream().write(request);
      byte[] raw = readToTheEnd(socket.getInputStream());
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      assertRevealsNothing(text);
      List<Integer> starts = new java.util.ArrayList<>();
      Matcher statusLine = Pattern.compile("HTTP/1\\.[01] \\d{3} ").matcher(text);
      while (statusLine.find() && starts.size() <= expected) {
        starts.add(statusLine.start());
      }
      assertThat(starts).as("answers in %s", text).isNotEmpty();
      starts.add(raw.length);
      List<RawHttp.Answer> answers = new java.util.ArrayList<>();
      for (int i = 0; i + 1 < starts.size(); i++) {
        answers.add(
            RawHttp.parse(java.util.Arrays.copyOfRange(raw, starts.get(i), starts.get(i + 1))));
      }
      return answers;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readToTheEnd(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server kept the connection open after: "
              + bytes.toString(StandardCharsets.ISO_8859_1),
          e);
    } catch (IOException e) {
      // A reset after the answer (the server closed with unread request bytes): keep the answer.
    }
    return bytes.toByteArray();
  }

  private RawHttp.Answer authorized(String requestLine) {
    return authorized(requestLine + " HTTP/1.1\r\n", null);
  }

  /** {@code head}: the request line and headers but Host and Authorization, each line ended. */
  private RawHttp.Answer authorized(String head, String body) {
    byte[] content = body == null ? new byte[0] : bytes(body);
    String request =
        (head.contains("\r\nHost: ") ? head : head.replaceFirst("\r\n", "\r\nHost: x\r\n"))
            + "Authorization: Bearer "
            + TOKEN
            + "\r\n"
            + (body == null ? "" : "Content-Length: " + content.length + "\r\n")
            + "Connection: close\r\n\r\n";
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(bytes(request));
    all.writeBytes(content);
    return exchangeToTheEnd(all.toByteArray(), 1).get(0);
  }

  private static JsonNode problem(RawHttp.Answer answer) {
    assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
    JsonNode problem = TestHttp.parse(answer.text());
    assertThat(problem.path("type").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    return problem;
  }

  /** No server name or version, no HTML, no class name or stack trace, in headers or body. */
  private static void assertRevealsNothing(String response) {
    assertThat(response)
        .doesNotContainIgnoringCase("grizzly")
        .doesNotContainIgnoringCase("<html")
        .doesNotContainIgnoringCase("exception")
        .doesNotContain("java.", "dev.orderly", "org.glassfish", "\tat ");
    assertThat(response.toLowerCase(java.util.Locale.ROOT))
        .doesNotContain("\r\nserver:", "\r\nx-powered-by:");
  }

  /** Bytes as sent: UTF-8, so a non-ASCII character goes out as its raw bytes. */
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
