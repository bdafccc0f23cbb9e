package dev.orderly.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NoContentException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the HTTP errors that Jersey raises itself (unknown path, wrong method, wrong content type,
 * unreadable body) into problem+json, keeping headers such as {@code Allow} and never the
 * exception's own message. Stateless and thread-safe.
 */
final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

  private static final Logger LOG = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

  /** Headers of the original answer worth keeping; the body and its headers are replaced. */
  private static final Set<String> KEPT_HEADERS =
      Set.of(
          HttpHeaders.ALLOW.toLowerCase(Locale.ROOT),
          "retry-after",
          HttpHeaders.WWW_AUTHENTICATE.toLowerCase(Locale.ROOT));

  private static final Map<Integer, String> DETAILS =
      Map.of(
          404, "there is no resource at this path",
          406, "the API answers only application/json",
          413, "the request body is too large",
          415, "the request body must be application/json");

  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    if (status < 400) {
      // A redirection or other non-error answer raised as an exception: it is not a problem.
      return original;
    }
    if (status >= 500) {
      // Jersey raises a 5xx only for a fault of ours (a missing writer, say): log it like any
      // unexpected error.
      return new ExceptionMappers.UnexpectedExceptionMapper().toResponse(e);
    }
    Response.ResponseBuilder answer = Problems.forStatus(status, detail(e, status));
    original
        .getStringHeaders()
        .forEach(
            (name, values) -> {
              if (KEPT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> answer.header(name, value));
              }
            });
    LOG.debug("answering {} for {}", status, e.toString());
    return answer.build();
  }

  private static String detail(WebApplicationException e, int status) {
    if (e instanceof NotAllowedException) {
      List<String> allowed = List.copyOf(e.getResponse().getAllowedMethods());
      return "this method is not allowed here; allowed: "
          + String.join(", ", allowed.stream().sorted().toList());
    }
    if (status == 400 && hasCause(e, NoContentException.class)) {
      return "the request body is empty; a JSON object is required";
    }
    if (status == 400) {
      return "the request could not be read";
    }
    return DETAILS.getOrDefault(status, "the request cannot be served (HTTP " + status + ")");
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
