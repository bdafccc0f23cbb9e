package dev.orderly.server;

import dev.orderly.api.HttpProblem;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grizzly's error pages as problem+json: what Grizzly answers itself, outside Jersey (an exception
 * escaping a handler, a request arriving while the server stops), in place of its HTML page, which
 * names Grizzly and its version and, for an exception, shows the stack trace. An unexpected error
 * is logged with a random id, and the client sees only that id, as from the API's own mapper.
 * Stateless and thread-safe.
 */
final class ProblemErrorPages implements ErrorPageGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorPages.class);

  @Override
  public String generate(
      Request request, int status, String reasonPhrase, String description, Throwable exception) {
    byte[] body;
    if (status >= 500 && status != 503) {
      String errorId = UUID.randomUUID().toString();
      LOG.error("unexpected error {} in the HTTP layer", errorId, exception);
      body = HttpProblem.internalError(errorId);
    } else {
      body = HttpProblem.json(status, detail(status), "request", "could not be served");
    }
    Response response = request.getResponse();
    // Grizzly writes the page through a Writer, which adds a charset to the type: JSON's, UTF-8.
    response.setContentType(HttpProblem.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    return new String(body, StandardCharsets.UTF_8);
  }

  private static String detail(int status) {
    return switch (status) {
      case 503 -> "the server is stopping; retry on another node or after it restarts";
      case 413 -> "the request body is larger than the server accepts";
      case 404 -> "there is no resource at this path";
      default -> "the request could not be served";
    };
  }
}
