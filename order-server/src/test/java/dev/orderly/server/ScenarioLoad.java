package dev.orderly.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The load of a reliability scenario: client threads that create orders as fast as they are
 * answered, spread over one or more servers, and record every order a server acknowledged (2xx),
 * every status, and the slowest answer. Each request has a client timeout, so a hung server shows
 * as timeouts rather than a stuck test. Thread-safe.
 */
final class ScenarioLoad implements AutoCloseable {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final List<URI> servers;
  private final String prefix;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong connectionErrors = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final LongAccumulator slowestMillis = new LongAccumulator(Math::max, 0);
  private final LongAccumulator slowest503Millis = new LongAccumulator(Math::max, 0);
  private final AtomicLong missingRetryAfter = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code clients} threads creating orders named {@code prefix-n}. */
  ScenarioLoad(List<URI> servers, String prefix, int clients) {
    this.servers = List.copyOf(servers);
    this.prefix = prefix;
    for (int i = 0; i < clients; i++) {
      Thread thread = new Thread(this::run, prefix + "-client-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void run() {
    while (running.get()) {
      long n = sequence.incrementAndGet();
      String id = prefix + "-" + n;
      URI server = servers.get((int) (n % servers.size()));
      HttpRequest request =
          HttpRequest.newBuilder(server.resolve("/orders"))
              .timeout(REQUEST_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"order_id\":\""
                          + id
                          + "\",\"user_id\":\"load\",\"item_ids\":[\"sku-1\"],"
                          + "\"total_amount\":1.50}"))
              .build();
      long started = System.nanoTime();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        slowestMillis.accumulate(millis);
        int status = response.statusCode();
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        if (status / 100 == 2) {
          acknowledged.add(id);
        } else if (status == 503) {
          slowest503Millis.accumulate(millis);
          if (response.headers().firstValue("Retry-After").isEmpty()) {
            missingRetryAfter.incrementAndGet();
          }
        }
      } catch (HttpTimeoutException e) {
        timeouts.incrementAndGet();
      } catch (IOException e) {
        // The server is down (killed, stopping): no answer, so nothing was acknowledged.
        connectionErrors.incrementAndGet();
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A refused connection comes back at once; do not spin on a dead server. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the clients and waits for their last requests. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(REQUEST_TIMEOUT.toMillis() + 5_000);
    }
  }

  Set<String> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  long count(int status) {
    AtomicLong count = statuses.get(status);
    return count == null ? 0 : count.get();
  }

  long serverErrorsOtherThan503() {
    return statuses.entrySet().stream()
        .filter(entry -> entry.getKey() >= 500 && entry.getKey() != 503)
        .mapToLong(entry -> entry.getValue().get())
        .sum();
  }

  long requests() {
    return statuses.values().stream().mapToLong(AtomicLong::get).sum()
        + connectionErrors.get()
        + timeouts.get();
  }

  long timeouts() {
    return timeouts.get();
  }

  long connectionErrors() {
    return connectionErrors.get();
  }

  long slowestMillis() {
    return slowestMillis.get();
  }

  long slowest503Millis() {
    return slowest503Millis.get();
  }

  long missingRetryAfter() {
    return missingRetryAfter.get();
  }

  @Override
  public String toString() {
    return requests()
        + " requests, statuses "
        + statuses
        + ", "
        + connectionErrors
        + " refused, "
        + timeouts
        + " timeouts, slowest "
        + slowestMillis
        + " ms";
  }
}
