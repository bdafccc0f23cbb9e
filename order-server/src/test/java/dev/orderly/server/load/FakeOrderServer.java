package dev.orderly.server.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory stand-in for Orderly's HTTP API on the JDK's HTTP server, for testing the load tool
 * end to end: {@code POST /orders}, {@code GET /orders/{id}} (answered chunked), {@code GET
 * /metrics}. Orders are stored Pending and all complete together once {@code GET /metrics} has been
 * asked {@link #completeAfterMetricsPolls} times, so a test decides when without waiting on a
 * clock. Knobs make it misbehave: lose an acknowledged order, answer 500 or a one-off 503, report
 * extra attempts, never complete. Thread-safe.
 */
final class FakeOrderServer implements AutoCloseable {

  /** One stored order. */
  static final class FakeOrder {
    final String body;
    final Instant createdAt = Instant.now();
    volatile String status = "Pending";
    volatile int attempts;
    volatile Instant completedAt;

    FakeOrder(String body) {
      this.body = body;
    }
  }

  final Map<String, FakeOrder> orders = new ConcurrentHashMap<>();
  final Set<String> lose = ConcurrentHashMap.newKeySet();
  final Set<String> answer500 = ConcurrentHashMap.newKeySet();
  final Set<String> answer503Once = ConcurrentHashMap.newKeySet();
  final Map<String, Integer> attemptsOf = new ConcurrentHashMap<>();
  final AtomicInteger metricsPolls = new AtomicInteger();
  volatile int completeAfterMetricsPolls;
  volatile boolean neverComplete;

  static {
    // The JDK server writes head and body separately; with Nagle on, the client's delayed ACK
    // would hold each response back 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  FakeOrderServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.createContext("/orders", this::orders);
    server.createContext("/metrics", this::metrics);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void orders(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (exchange.getRequestMethod().equals("POST") && path.equals("/orders")) {
        create(exchange);
      } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/orders/")) {
        read(exchange, path.substring("/orders/".length()));
      } else {
        send(exchange, 404, problem(404, "no route"), false);
      }
    }
  }

  private void create(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String id = (String) Json.parseObject(body).get("order_id");
    if (answer500.contains(id)) {
      send(exchange, 500, problem(500, "internal error"), false);
      return;
    }
    if (answer503Once.remove(id)) {
      exchange.getResponseHeaders().add("Retry-After", "0");
      send(exchange, 503, problem(503, "busy"), false);
      return;
    }
    String answer = "{\"order_id\":" + Json.quote(id) + ",\"status\":\"Pending\"}";
    if (lose.contains(id)) {
      send(exchange, 201, answer, false);
      return;
    }
    FakeOrder existing = orders.putIfAbsent(id, new FakeOrder(body));
    if (existing != null && !existing.body.equals(body)) {
      send(exchange, 409, problem(409, "conflict"), false);
      return;
    }
    send(exchange, existing == null ? 201 : 200, answer, false);
  }

  private void read(HttpExchange exchange, String id) throws IOException {
    advance();
    FakeOrder order = orders.get(id);
    if (order == null) {
      send(exchange, 404, problem(404, "order '" + id + "' not found"), true);
      return;
    }
    String answer =
        "{\"order_id\":"
            + Json.quote(id)
            + ",\"status\":"
            + Json.quote(order.status)
            + ",\"attempts\":"
            + order.attempts
            + ",\"created_at\":\""
            + order.createdAt
            + "\",\"completed_at\":"
            + (order.completedAt == null ? "null" : "\"" + order.completedAt + "\"")
            + ",\"processed_by\":\"fake-node\"}";
    send(exchange, 200, answer, true);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      metricsPolls.incrementAndGet();
      advance();
      long completed = orders.values().stream().filter(o -> o.status.equals("Completed")).count();
      long pending = orders.size() - completed;
      String answer =
          "{\"total_orders\":"
              + orders.size()
              + ",\"status_counts\":{\"Pending\":"
              + pending
              + ",\"Processing\":0,\"Completed\":"
              + completed
              + ",\"Failed\":0,\"Cancelled\":0},\"average_processing_time\":"
              + (completed == 0 ? "null" : "0.5")
              + "}";
      send(exchange, 200, answer, false);
    }
  }

  /** Completes every Pending order once the metrics have been polled often enough. */
  private void advance() {
    if (neverComplete || metricsPolls.get() < completeAfterMetricsPolls) {
      return;
    }
    for (Map.Entry<String, FakeOrder> entry : orders.entrySet()) {
      FakeOrder order = entry.getValue();
      synchronized (order) {
        if (order.status.equals("Pending")) {
          order.attempts = attemptsOf.getOrDefault(entry.getKey(), 1);
          order.completedAt = Instant.now();
          order.status = "Completed";
        }
      }
    }
  }

  private static String problem(int status, String detail) {
    return "{\"type\":\"about:blank\",\"title\":\"Problem\",\"status\":"
        + status
        + ",\"detail\":"
        + Json.quote(detail)
        + "}";
  }

  private static void send(HttpExchange exchange, int status, String body, boolean chunked)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
    // 0 makes the JDK server answer chunked; the length makes it send Content-Length.
    exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
