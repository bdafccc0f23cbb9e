package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the server answers to requests refused below the API: HTTP that Grizzly's codec cannot
 * parse, and bodies that end before their announced length. Each is the client's fault, answered
 * with problem+json (or, for a body cut short by a closed connection, not at all), never with the
 * 500 of a bug of ours.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLayerRefusalTest {

  private static final String PROMETHEUS_ACCEPT = "text/plain;version=0.0.4";

  private OrderlyServer server;
  private TestHttp http;
  private RawHttp raw;

  @BeforeAll
  void start() {
    server =
        OrderlyServer.start(
            ServerConfig.parse(
                List.of("--host", "127.0.0.1", "--port", "0", "--in-memory"), Map.of()));
    http = new TestHttp(server.uri());
    raw = new RawHttp(server.uri());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void anUnsupportedHttpVersionIsAProblemNamingTheVersion() {
    RawHttp.Answer answer = sendRaw("GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n");

    assertThat(answer.status()).isEqualTo(505);
    JsonNode problem = problem(answer);
    assertThat(problem.path("status").asInt()).isEqualTo(505);
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("version");
  }

  @Test
  void aMalformedChunkIsAProblemNamingTheBody() {
    RawHttp.Answer answer =
        raw.send(
            "POST",
            "/orders",
            Map.of(
                "Content-Type", List.of("application/json"),
                "Transfer-Encoding", List.of("chunked")),
            "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(problem(answer).path("errors").get(0).path("field").asText()).isEqualTo("body");
  }

  @Test
  void aMalformedHeaderIsAProblemNamingTheHeaders() {
    RawHttp.Answer answer =
        raw.send(
            "POST",
            "/orders",
            Map.of("Content-Type", List.of("application/json"), "Content-Length", List.of("abc")),
            "{}".getBytes(StandardCharsets.US_ASCII));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(problem(answer).path("errors").get(0).path("field").asText()).isEqualTo("headers");
  }

  /**
   * The client sends part of the body and closes its side: no handler ever sees the request (the
   * fast path for a plain create, Jersey for the same create with an {@code Origin}), since its
   * body never completes. The server closes the connection, and counts no 500 and creates nothing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "Origin: http://shop.example\r\n"})
  void aBodyCutShortIsDroppedWithItsConnection(String extraHeader) throws IOException {
    try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + extraHeader
                  + "Content-Length: 100\r\n\r\n{\"order_id\":\"cut-1\"")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.shutdownOutput();

      assertThat(socket.getInputStream().readAllBytes()).as("what the server answered").isEmpty();
    }

    assertThat(requests("500")).isZero();
    assertThat(http.get("/orders/cut-1").status()).isEqualTo(404);
  }

  private RawHttp.Answer sendRaw(String request) {
    try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return RawHttp.parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode problem(RawHttp.Answer answer) {
    assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
    JsonNode problem = TestHttp.parse(answer.text());
    assertThat(problem.path("detail").asText()).isNotBlank();
    return problem;
  }

  /** POST /orders requests answered with {@code status}, from the server's own metrics. */
  private double requests(String status) {
    String series =
        "orderly_http_requests_seconds_count{method=\"POST\",route=\"/orders\",status=\""
            + status
            + "\"} ";
    return http.get("/metrics", PROMETHEUS_ACCEPT)
        .body()
        .lines()
        .filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length())))
        .sum();
  }
}
