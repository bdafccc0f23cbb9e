package dev.orderly.server;

import dev.orderly.api.HttpProblem;
import java.util.Objects;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The handler at the root of the server's HTTP listener, which is bound before anything else starts
 * so that a port in use fails the start at once: it answers 503 problem+json while the server
 * starts, then hands every request to the API, and answers 503 again, {@code /health/live}
 * included, once the server has failed for good (its embedded database gone and not restartable).
 * Thread-safe.
 */
final class ServerGate extends HttpHandler {

  /** How long a client should wait before asking again while the server starts, in seconds. */
  static final int RETRY_AFTER_SECONDS = 1;

  private static final String RETRY_AFTER = "Retry-After";

  private volatile HttpHandler api;
  private volatile String failure;

  ServerGate() {
    super("orderly-gate");
  }

  /** Starts the API's handler and sends every request to it from now on. */
  void open(HttpHandler api) {
    Objects.requireNonNull(api, "api");
    api.start();
    this.api = api;
  }

  /**
   * From now on every request is answered 503 with {@code reason}, so that probes of {@code
   * /health/live} see the server as dead and a supervisor replaces it.
   */
  void fail(String reason) {
    this.failure = Objects.requireNonNull(reason, "reason");
  }

  boolean hasFailed() {
    return failure != null;
  }

  @Override
  public void destroy() {
    HttpHandler handler = api;
    if (handler != null) {
      handler.destroy();
    }
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String failed = failure;
    HttpHandler handler = api;
    if (failed == null && handler != null) {
      handler.service(request, response);
    } else if (failed != null) {
      unavailable(response, failed, "has failed; it is stopping");
    } else {
      response.setHeader(RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
      unavailable(response, "the server is starting; try again shortly", "is starting");
    }
  }

  private static void unavailable(Response response, String detail, String state)
      throws java.io.IOException {
    byte[] body = HttpProblem.json(503, detail, "server", state);
    response.setStatus(503);
    response.setContentType(HttpProblem.MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
