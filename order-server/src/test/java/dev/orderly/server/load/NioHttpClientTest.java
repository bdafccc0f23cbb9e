package dev.orderly.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NioHttpClientTest {

  private final ErrorCounts errors = new ErrorCounts();
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<Integer, String> failures = new ConcurrentHashMap<>();

  @Test
  void everyRequestGetsItsResponseOverFewConnections() throws IOException {
    try (TrivialHttpServer server = TrivialHttpServer.start()) {
      NioHttpClient client = client(server.port(), 4, 2, Duration.ofSeconds(10), 3);

      client.run(source(500, server.port()), handler());

      assertThat(statuses).hasSize(500).containsOnly(201);
      assertThat(failures).isEmpty();
      assertThat(errors.total()).isZero();
      assertThat(client.connects()).isEqualTo(4);
      assertThat(client.latencies().count()).isEqualTo(500);
      assertThat(server.requests()).isEqualTo(500);
    }
  }

  @Test
  void reconnectsWhenTheServerClosesAfterAResponse() throws IOException {
    try (TrivialHttpServer server = TrivialHttpServer.start(3)) {
      NioHttpClient client = client(server.port(), 4, 1, Duration.ofSeconds(10), 3);

      client.run(source(300, server.port()), handler());

      assertThat(statuses).hasSize(300).containsOnly(201);
      assertThat(failures).isEmpty();
      // Every third answer said Connection: close, so at least 100 reconnects were needed.
      assertThat(client.connects()).isGreaterThanOrEqualTo(100);
    }
  }

  @Test
  void aRequestDroppedWithoutAnswerIsRetriedOnAFreshConnection() throws IOException {
    try (TrivialHttpServer server = TrivialHttpServer.start(0, 7)) {
      NioHttpClient client = client(server.port(), 4, 1, Duration.ofSeconds(10), 3);

      client.run(source(100, server.port()), handler());

      assertThat(statuses).hasSize(100).containsOnly(201);
      assertThat(failures).isEmpty();
      assertThat(errors.get(NioHttpClient.CLOSED_BEFORE_RESPONSE))
          .isGreaterThanOrEqualTo(14)
          .isEqualTo(errors.total())
          .isEqualTo(client.retries());
    }
  }

  @Test
  void aRefusedConnectionIsRetriedThenReportedByKind() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    NioHttpClient client = client(port, 2, 1, Duration.ofSeconds(10), 2);

    client.run(source(3, port), handler());

    assertThat(statuses).isEmpty();
    assertThat(failures).hasSize(3).containsValue(NioHttpClient.CONNECT_REFUSED);
    assertThat(errors.get(NioHttpClient.CONNECT_REFUSED)).isEqualTo(6);
    assertThat(client.retries()).isEqualTo(3);
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws IOException {
    try (ServerSocketChannel silent = ServerSocketChannel.open()) {
      // The kernel accepts connections into the backlog; nobody ever reads or answers.
      silent.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = silent.socket().getLocalPort();
      NioHttpClient client = client(port, 1, 1, Duration.ofMillis(200), 1);

      client.run(source(1, port), handler());

      assertThat(failures).containsEntry(0, NioHttpClient.TIMEOUT);
      assertThat(errors.get(NioHttpClient.TIMEOUT)).isEqualTo(1);
    }
  }

  private NioHttpClient client(
      int port, int connections, int threads, Duration timeout, int attempts) {
    return new NioHttpClient(
        new InetSocketAddress("127.0.0.1", port),
        connections,
        threads,
        timeout,
        attempts,
        true,
        errors);
  }

  private static NioHttpClient.Source source(int total, int port) {
    AtomicInteger next = new AtomicInteger();
    return new NioHttpClient.Source() {
      @Override
      public NioHttpClient.Exchange poll(long nowNanos) {
        int index = next.getAndIncrement();
        if (index >= total) {
          next.set(total);
          return null;
        }
        byte[] request =
            NioHttpClient.request("POST", "127.0.0.1:" + port, "/orders", "{\"n\":" + index + "}");
        return new NioHttpClient.Exchange(request, index, nowNanos);
      }

      @Override
      public long nextDueNanos() {
        return System.nanoTime();
      }

      @Override
      public boolean exhausted() {
        return next.get() >= total;
      }
    };
  }

  private NioHttpClient.Handler handler() {
    return new NioHttpClient.Handler() {
      @Override
      public void onResponse(
          NioHttpClient.Exchange exchange, HttpResponseParser response, long latencyNanos) {
        statuses.add(response.status());
      }

      @Override
      public void onFailure(NioHttpClient.Exchange exchange, String kind) {
        failures.put(exchange.index, kind);
      }
    };
  }
}
