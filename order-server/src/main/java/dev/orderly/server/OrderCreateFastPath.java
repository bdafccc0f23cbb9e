package dev.orderly.server;

import dev.orderly.api.OrderCreation;
import dev.orderly.core.order.NewOrder;
import io.micrometer.core.instrument.Timer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.TimeoutHandler;
import org.glassfish.grizzly.http.util.DataChunk;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.memory.Buffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the plain {@code POST /orders} in Grizzly and hands every other request to Jersey
 * unchanged. Jersey's pipeline (matching, request scope, filters, interceptors, providers) costs
 * several times the create itself; for the one request that carries the load, its outcome is known
 * in advance, so this handler gives it directly, through {@link OrderCreation}: the parsing,
 * validation, answers and exception mappers of the JAX-RS resource. Thread-safe.
 *
 * <p>It takes a request only when Jersey would run it straight into the resource method and answer
 * with JSON: {@code POST} to exactly {@code /orders} without a query; one {@code Content-Type} of
 * {@code application/json} (optionally {@code ; charset=utf-8}); a {@code Content-Length} from 1 to
 * the body limit, with no {@code Transfer-Encoding} or {@code Content-Encoding}; no {@code Origin}
 * (CORS headers are Jersey's to add); {@code Accept} absent or {@code *}{@code /*}, {@code
 * application/*} or {@code application/json}; and, when an API token is set, exactly {@code
 * Authorization: Bearer <token>}. A body that is not a valid order is replayed to Jersey, which
 * answers with its 400 problem. Every other answer, 401, 406, 413 and 415 among them, is Jersey's.
 */
final class OrderCreateFastPath extends HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OrderCreateFastPath.class);

  private static final String PATH = "/orders";
  private static final String JSON = "application/json";
  private static final String UTF_8 = "charset=utf-8";
  private static final List<String> JSON_ACCEPTS = List.of("*/*", "application/*", JSON);

  /** Statuses are three digits. */
  private static final int MAX_STATUS = 600;

  private final HttpHandler jersey;
  private final OrderCreation creation;
  private final byte[] authorization;
  private final long maxBodyBytes;
  private final Duration timeout;
  private final HttpMeters meters;
  private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(MAX_STATUS);

  /**
   * @param jersey the Jersey container, which answers every request this handler does not take
   * @param creation the creates, over the same client as Jersey's resource
   * @param apiToken the bearer token Jersey requires, or null for none
   * @param maxBodyBytes the largest body taken here; at most the API's limit
   * @param timeout how long a create waits for its commit ({@link OrderCreation#TIMEOUT})
   * @param meters where requests are timed, as Jersey's requests are
   */
  OrderCreateFastPath(
      HttpHandler jersey,
      OrderCreation creation,
      String apiToken,
      long maxBodyBytes,
      Duration timeout,
      HttpMeters meters) {
    this.jersey = Objects.requireNonNull(jersey, "jersey");
    this.creation = Objects.requireNonNull(creation, "creation");
    // The server accepts only tokens without whitespace, so this exact header is one that
    // Jersey's BearerTokenFilter accepts; any other spelling goes to Jersey to be judged.
    this.authorization =
        apiToken == null ? null : ("Bearer " + apiToken).getBytes(StandardCharsets.UTF_8);
    this.maxBodyBytes = maxBodyBytes;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public void start() {
    jersey.start();
  }

  @Override
  public void destroy() {
    jersey.destroy();
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    if (isPlainCreate(request)) {
      create(request, response);
    } else {
      jersey.service(request, response);
    }
  }

  private void create(Request request, Response response) throws Exception {
    long started = System.nanoTime();
    byte[] body;
    try {
      body = readBody(request);
    } catch (IOException e) {
      // The body could not be read (its framing broke); Jersey answers the same way.
      answer(response, creation.failure(e), started);
      return;
    }
    Optional<NewOrder> order = creation.parse(body);
    if (order.isEmpty()) {
      // Jersey reads the same bytes again and answers with the problem that names the fault.
      request.replayPayload(Buffers.wrap(request.getContext().getMemoryManager(), body));
      jersey.service(request, response);
      return;
    }
    CompletableFuture<OrderCreation.Answer> answer = creation.submit(order.get());
    if (answer.isDone()) {
      // The in-memory store, or a failure before the store was reached: no need to suspend.
      answer(response, answer.join(), started);
      return;
    }
    // The request thread goes back to Grizzly while the store commits, as in the JAX-RS resource:
    // creates that wait together share one group commit.
    Suspended suspended = new Suspended(response, started);
    response.suspend(timeout.toMillis(), TimeUnit.MILLISECONDS, suspended, suspended);
    // Answered on a Grizzly worker, not on the store's thread: Grizzly recycles a request's objects
    // into the cache of the thread that finishes it and builds new requests from the workers'
    // caches, so finished elsewhere every request is allocated anew (measured: a quarter more GC).
    Executor workers = request.getContext().getConnection().getTransport().getWorkerThreadPool();
    answer.thenAccept(done -> suspended.answerOn(workers, done));
  }

  private boolean isPlainCreate(Request request) {
    long length = request.getContentLengthLong();
    if (!Method.POST.equals(request.getMethod())
        || !PATH.equals(request.getRequestURI())
        || request.getQueryString() != null
        || length <= 0
        || length > maxBodyBytes) {
      return false;
    }
    // One pass over the headers: those read here must come once, and those that change how
    // Jersey reads or answers send the request there. Values are compared in place, unconverted.
    MimeHeaders headers = request.getRequest().getHeaders();
    DataChunk contentType = null;
    DataChunk accept = null;
    DataChunk authorization = null;
    for (int i = 0; i < headers.size(); i++) {
      DataChunk name = headers.getName(i);
      if (name.equalsIgnoreCase("Content-Type")) {
        if (contentType != null) {
          return false;
        }
        contentType = headers.getValue(i);
      } else if (name.equalsIgnoreCase("Accept")) {
        if (accept != null) {
          return false;
        }
        accept = headers.getValue(i);
      } else if (name.equalsIgnoreCase("Authorization")) {
        if (authorization != null) {
          return false;
        }
        authorization = headers.getValue(i);
      } else if (name.equalsIgnoreCase("Origin")
          || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Content-Encoding")) {
        return false;
      }
    }
    return isJson(contentType) && acceptsJson(accept) && isAuthorized(authorization);
  }

  private static boolean isJson(DataChunk contentType) {
    if (contentType == null) {
      return false;
    }
    if (contentType.equalsIgnoreCase(JSON)) {
      return true;
    }
    String value = contentType.toString();
    if (!value.regionMatches(true, 0, JSON, 0, JSON.length())) {
      return false;
    }
    String parameters = value.substring(JSON.length()).strip();
    return parameters.isEmpty()
        || parameters.charAt(0) == ';' && parameters.substring(1).strip().equalsIgnoreCase(UTF_8);
  }

  private static boolean acceptsJson(DataChunk accept) {
    if (accept == null) {
      return true;
    }
    for (String type : JSON_ACCEPTS) {
      if (accept.equalsIgnoreCase(type)) {
        return true;
      }
    }
    return false;
  }

  private boolean isAuthorized(DataChunk header) {
    return authorization == null
        || header != null
            && MessageDigest.isEqual(
                authorization, header.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The whole body, read to its end so that it can be replayed to Jersey. It has arrived already
   * ({@link CompleteBodyFilter} holds a request back until it has), so this does not block.
   */
  private static byte[] readBody(Request request) throws IOException {
    int length = (int) request.getContentLengthLong();
    InputStream in = request.getInputStream();
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
    }
    // Reading to the end marks the body finished, which replaying it to Jersey requires.
    if (in.read() != -1) {
      throw new IOException("the body is longer than its Content-Length");
    }
    return body;
  }

  private void answer(Response response, OrderCreation.Answer answer, long started) {
    try {
      response.setStatus(answer.status());
      for (Map.Entry<String, List<String>> header : answer.headers().entrySet()) {
        for (String value : header.getValue()) {
          response.addHeader(header.getKey(), value);
        }
      }
      byte[] body = answer.body();
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    } catch (IOException e) {
      // The client is gone; there is no one left to tell.
      LOG.debug("could not write the answer to a create: {}", e.toString());
    }
    timer(answer.status()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
  }

  private Timer timer(int status) {
    Timer timer = timers.get(status);
    if (timer == null) {
      timer = meters.timer(Method.POST.getMethodString(), PATH, status);
      timers.set(status, timer);
    }
    return timer;
  }

  /**
   * A suspended create: answered once, by the store's answer or by the timeout, whichever comes
   * first; not at all if the connection closed meanwhile.
   */
  private final class Suspended extends EmptyCompletionHandler<Response> implements TimeoutHandler {

    private final Response response;
    private final long started;
    private final AtomicBoolean answered = new AtomicBoolean();

    Suspended(Response response, long started) {
      this.response = response;
      this.started = started;
    }

    void answer(OrderCreation.Answer answer) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      try {
        OrderCreateFastPath.this.answer(response, answer, started);
      } catch (RuntimeException e) {
        // This runs on the store's thread, where an exception would vanish unseen.
        LOG.warn("could not answer a create with {}", answer, e);
      } finally {
        // Not suspended any more only if the connection closed while the answer was written.
        if (response.isSuspended()) {
          response.resume();
        }
      }
    }

    void answerOn(Executor workers, OrderCreation.Answer answer) {
      try {
        workers.execute(() -> answer(answer));
      } catch (RejectedExecutionException stopping) {
        answer(answer);
      }
    }

    @Override
    public boolean onTimeout(Response timedOut) {
      answer(creation.timedOut());
      // Resumed above (or by the store's answer): Grizzly must not cancel it too.
      return false;
    }

    @Override
    public void cancelled() {
      // The connection closed: Grizzly recycles the response, which must not be written now.
      answered.set(true);
    }
  }
}
