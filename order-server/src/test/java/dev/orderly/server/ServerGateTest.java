package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate in front of the API, over a real listener: 503 problem+json while the server starts, the
 * API once open, 503 again once the server has failed.
 */
class ServerGateTest {

  private final ServerGate gate = new ServerGate();
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer http;
  private URI live;

  @BeforeEach
  void listen() throws IOException {
    ServerConfig config =
        ServerConfig.parse(List.of("--in-memory", "--port", "0", "--http-threads", "2"), Map.of());
    http = OrderlyServer.httpServer(config, gate);
    http.start();
    live =
        URI.create(
            "http://127.0.0.1:" + http.getListeners().iterator().next().getPort() + "/health/live");
  }

  @AfterEach
  void stop() {
    http.shutdownNow();
  }

  private HttpResponse<String> get() throws Exception {
    return client.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void whileStartingEveryRequestIsAnswered503WithRetryAfter() throws Exception {
    HttpResponse<String> answer = get();

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(answer.body()).contains("the server is starting");
  }

  @Test
  void onceOpenTheApiAnswersAndOnceFailedEverythingIs503Again() throws Exception {
    gate.open(
        new HttpHandler() {
          @Override
          public void service(Request request, Response response) throws Exception {
            response.getWriter().write("UP");
          }
        });

    assertThat(get().statusCode()).isEqualTo(200);
    assertThat(get().body()).isEqualTo("UP");

    gate.fail("the embedded PostgreSQL is gone");

    HttpResponse<String> answer = get();
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(answer.body()).contains("the embedded PostgreSQL is gone");
  }
}
