package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.api.OrderCreation;
import dev.orderly.api.OrderlyApplication;
import dev.orderly.core.OrderClient;
import dev.orderly.core.store.InMemoryOrderStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their request bodies slowly, over real sockets: they hold no HTTP thread, so
 * everyone else is answered meanwhile, and a body that stalls is cut off with 408.
 */
class SlowRequestBodyTest {

  private static final int HTTP_THREADS = 2;

  /** Far more than the HTTP threads: each would hold one if bodies were read by blocking. */
  private static final int TRICKLERS = 50 * HTTP_THREADS;

  /** How long an answer may take while the tricklers send; far shorter than any trickle. */
  private static final Duration PROMPTLY = Duration.ofSeconds(3);

  private static final String ORDER =
      "{\"order_id\":\"%s\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}";

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() throws Exception {
    trickle.shutdownNow();
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  @Test
  void bodiesTrickledOnManyMoreConnectionsThanThreadsHoldUpNoOtherRequest() throws IOException {
    OrderlyServer server =
        OrderlyServer.start(
            ServerConfig.parse(
                List.of(
                    "--in-memory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--http-threads",
                    Integer.toString(HTTP_THREADS)),
                Map.of()));
    opened.add(server);
    URI uri = server.uri();
    // Half to the create fast path, half to Jersey (a batch): each announces 1,000 bytes, sends
    // one, and then one more every 200 ms, so that none is ever complete during the test.
    List<Socket> tricklers = new ArrayList<>();
    for (int i = 0; i < TRICKLERS; i++) {
      Socket socket = connect(uri);
      tricklers.add(socket);
      socket.getOutputStream().write(head(i % 2 == 0 ? "/orders" : "/orders/batch", 1_000, "{"));
    }
    trickle.scheduleWithFixedDelay(
        () -> {
          for (Socket socket : tricklers) {
            try {
              socket.getOutputStream().write(' ');
            } catch (IOException closed) {
              // Cut off by the server: it stays cut off.
            }
          }
        },
        200,
        200,
        TimeUnit.MILLISECONDS);

    Answer live = send(uri, "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    Answer created = send(uri, post("/orders", ORDER.formatted("fast-1")));
    Answer batch =
        send(uri, post("/orders/batch", "{\"orders\":[" + ORDER.formatted("batch-1") + "]}"));

    assertThat(live.status).as("%s", live).isEqualTo(200);
    assertThat(created.status).as("%s", created).isEqualTo(201);
    assertThat(batch.status).as("%s", batch).isEqualTo(200);
    for (Socket socket : tricklers) {
      // Still waiting for their bodies; on a slow machine, perhaps cut off already, with a 408.
      InputStream in = socket.getInputStream();
      String answered = new String(in.readNBytes(in.available()), StandardCharsets.US_ASCII);
      assertThat(answered).as("what a trickler got").matches("|HTTP/1\\.1 408 (?s).*");
    }
  }

  @Test
  void aBodyStalledPastTheTimeoutIsAnswered408AndItsConnectionClosed() throws IOException {
    URI uri = start(Duration.ofMillis(500));
    Socket socket = connect(uri);
    long started = System.nanoTime();

    socket.getOutputStream().write(head("/orders", 100, "{\"order_id\":"));
    Answer answer = readToTheEnd(socket, Duration.ofSeconds(10));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(500));
    assertThat(answer.status).as("%s", answer).isEqualTo(408);
    assertThat(answer.contentType).isEqualTo("application/problem+json");
    JsonNode problem = TestHttp.parse(answer.body);
    assertThat(problem.path("type").asText())
        .isEqualTo("https://orderly.dev/problems/request-timeout");
    assertThat(problem.path("status").asInt()).isEqualTo(408);
    assertThat(problem.path("detail").asText()).contains("500 ms");
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("body");
    // readToTheEnd returned: the server closed the connection.
  }

  /**
   * The JDK's HttpClient, left at its defaults, asks to upgrade to h2c; the server ignores that and
   * answers in HTTP/1.1 at once (it waited for ever before, and the body filter answered 408).
   */
  @Test
  void aRequestAskingForAnUpgradeHasNoBodyToWaitFor() throws Exception {
    URI uri = start(Duration.ofSeconds(10));
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder().connectTimeout(PROMPTLY).build();

    java.net.http.HttpResponse<String> answer =
        client.send(
            java.net.http.HttpRequest.newBuilder(uri.resolve("/health/live"))
                .timeout(PROMPTLY)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
    java.net.http.HttpResponse<String> created =
        client.send(
            java.net.http.HttpRequest.newBuilder(uri.resolve("/orders"))
                .timeout(PROMPTLY)
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"order_id\":\"h2c\",\"user_id\":\"u\",\"item_ids\":[\"a\"],"
                            + "\"total_amount\":1}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @Test
  void aBodySentInPartsWithinTheTimeoutIsServedByEachRoute() throws IOException {
    URI uri = start(Duration.ofSeconds(30));
    String order = ORDER.formatted("parts-1");
    String batch = "{\"orders\":[" + ORDER.formatted("parts-2") + "]}";

    Answer created = sendInParts(uri, "/orders", order, false);
    Answer batched = sendInParts(uri, "/orders/batch", batch, false);
    Answer continued = sendInParts(uri, "/orders", ORDER.formatted("parts-3"), true);

    assertThat(created.status).as("%s", created).isEqualTo(201);
    assertThat(batched.status).as("%s", batched).isEqualTo(200);
    assertThat(continued.status).as("%s", continued).isEqualTo(201);
    assertThat(send(uri, get("/orders/parts-2")).status).isEqualTo(200);
  }

  /**
   * Sends the headers, then the body in three parts with pauses between them; with {@code
   * expectContinue}, waits for {@code 100 Continue} before the body.
   */
  private Answer sendInParts(URI uri, String path, String body, boolean expectContinue)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Socket socket = connect(uri);
    OutputStream out = socket.getOutputStream();
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + (expectContinue ? "\r\nExpect: 100-continue" : "")
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    if (expectContinue) {
      socket.setSoTimeout((int) PROMPTLY.toMillis());
      byte[] expected = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      assertThat(socket.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
    }
    int third = bytes.length / 3;
    for (int[] part : new int[][] {{0, third}, {third, 2 * third}, {2 * third, bytes.length}}) {
      pause();
      out.write(bytes, part[0], part[1] - part[0]);
      out.flush();
    }
    Answer answer = readToTheEnd(socket, PROMPTLY);
    // A second 100 may come when the handler runs; the final answer follows it.
    return answer.status == 100 ? answer.next() : answer;
  }

  /**
   * Gives the server time to read what was sent so far on its own, so that the body arrives in
   * several reads. Nothing is awaited: the answer is right however the parts arrive.
   */
  private static void pause() {
    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
  }

  /** A server assembled as {@link OrderlyServer} assembles it, with another body timeout. */
  private URI start(Duration bodyTimeout) {
    ServerConfig config =
        ServerConfig.parse(List.of("--in-memory", "--host", "127.0.0.1", "--port", "0"), Map.of());
    OrderClient client = OrderClient.create(new InMemoryOrderStore());
    ServerMetrics metrics = ServerMetrics.withoutJvm(Duration.ZERO);
    opened.add(metrics::close);
    OrderlyApplication application =
        OrderlyServer.application(config, client, () -> true, null, metrics);
    HttpHandler jersey = ContainerFactory.createContainer(GrizzlyHttpContainer.class, application);
    HttpServer http =
        OrderlyServer.httpServer(
            config,
            new OrderCreateFastPath(
                jersey,
                new OrderCreation(client),
                null,
                OrderlyServer.MAX_REQUEST_BODY_BYTES,
                OrderCreation.TIMEOUT,
                metrics.httpMeters()),
            bodyTimeout);
    try {
      http.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    opened.add(0, http::shutdownNow);
    return URI.create("http://127.0.0.1:" + http.getListeners().iterator().next().getPort() + "/");
  }

  private Socket connect(URI uri) throws IOException {
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    opened.add(socket);
    return socket;
  }

  /** The request line and headers of a JSON POST, and the first bytes of its body. */
  private static byte[] head(String path, int length, String start) {
    return ("POST "
            + path
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + length
            + "\r\n\r\n"
            + start)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String post(String path, String json) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + json.getBytes(StandardCharsets.UTF_8).length
        + "\r\nConnection: close\r\n\r\n"
        + json;
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  }

  /** Sends a whole request on a new connection and reads the answer, within {@link #PROMPTLY}. */
  private Answer send(URI uri, String request) throws IOException {
    Socket socket = connect(uri);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    return readToTheEnd(socket, PROMPTLY);
  }

  /**
   * Everything the server sends until it closes the connection, which must be within {@code
   * deadline}.
   */
  private static Answer readToTheEnd(Socket socket, Duration deadline) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long end = System.nanoTime() + deadline.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError("no answer and close within " + deadline + ": " + bytes);
      }
      socket.setSoTimeout((int) left);
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer and close within " + deadline + ": " + bytes, e);
      }
      if (n < 0) {
        return Answer.parse(bytes.toString(StandardCharsets.UTF_8));
      }
      bytes.write(buffer, 0, n);
    }
  }

  /** A status, content type and body; {@code rest} is what followed (after an interim 100). */
  private record Answer(int status, String contentType, String body, String rest) {

    static Answer parse(String text) {
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return new Answer(0, "", text, "");
      }
      String[] lines = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      String contentType = "";
      for (String line : lines) {
        if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
          contentType = line.substring(13).strip();
        }
      }
      String after = text.substring(end + 4);
      return status == 100
          ? new Answer(status, "", "", after)
          : new Answer(status, contentType, after, "");
    }

    Answer next() {
      return parse(rest);
    }
  }
}
