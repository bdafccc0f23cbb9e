package dev.orderly.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds the problem+json answers that every error mapper sends. Stateless. */
final class Problems {

  static final String MEDIA_TYPE = "application/problem+json";
  static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  private Problems() {}

  static Response.ResponseBuilder response(ProblemType type, String detail) {
    return response(type, detail, null);
  }

  static Response.ResponseBuilder response(
      ProblemType type, String detail, List<FieldError> errors) {
    Problem problem = new Problem(type.uri(), type.title(), type.status(), detail, errors, null);
    return Response.status(type.status()).type(PROBLEM_JSON).entity(problem);
  }

  /** A problem for a plain HTTP status, of its own kind if it has one, else {@code about:blank}. */
  static Response.ResponseBuilder forStatus(int status, String detail) {
    ProblemType type = ProblemType.forStatus(status);
    if (type != null) {
      return response(type, detail);
    }
    Response.Status.Family family = Response.Status.Family.familyOf(status);
    Response.StatusType known = Response.Status.fromStatusCode(status);
    String title =
        known != null
            ? known.getReasonPhrase()
            : family == Response.Status.Family.SERVER_ERROR ? "Server error" : "Client error";
    Problem problem = new Problem("about:blank", title, status, detail, null, null);
    return Response.status(status).type(PROBLEM_JSON).entity(problem);
  }
}
