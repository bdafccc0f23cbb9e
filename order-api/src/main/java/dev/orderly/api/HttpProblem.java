package dev.orderly.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.List;

/**
 * The problem+json body the API answers a plain HTTP status with, for an HTTP layer that refuses a
 * request before the application sees it (one it cannot parse as HTTP, say): its answers then look
 * like every other refusal of the API. Stateless.
 */
public final class HttpProblem {

  /** The media type of the body, {@code application/problem+json}. */
  public static final String MEDIA_TYPE = Problems.MEDIA_TYPE;

  private static final ObjectWriter WRITER = JsonMapperProvider.create().writer();

  private HttpProblem() {}

  /**
   * The body for {@code status}: the API's problem type for it when it has one ({@code
   * invalid-request} for 400), else {@code about:blank} with the status's reason phrase; with one
   * field error naming what was wrong.
   *
   * @param status an HTTP error status, 400 to 599
   * @param detail the sentence a client reads
   * @param field the part of the request at fault, such as {@code Content-Length}
   * @param message what is wrong with it
   */
  public static byte[] json(int status, String detail, String field, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    Problem plain = (Problem) Problems.forStatus(status, detail).build().getEntity();
    Problem problem =
        new Problem(
            plain.type(),
            plain.title(),
            status,
            detail,
            List.of(new FieldError(field, message)),
            null);
    return write(problem);
  }

  /**
   * The 500 body for an unexpected error that the HTTP layer caught outside the application: the
   * {@code internal-error} problem carrying only the reference it was logged under, as the API's
   * own mapper answers.
   *
   * @param errorId the reference the error was logged under
   */
  public static byte[] internalError(String errorId) {
    return write(internalErrorProblem(errorId));
  }

  /**
   * The {@code internal-error} problem for an error logged under {@code errorId}, and nothing else.
   */
  static Problem internalErrorProblem(String errorId) {
    ProblemType type = ProblemType.INTERNAL_ERROR;
    return new Problem(
        type.uri(),
        type.title(),
        type.status(),
        "an unexpected error occurred; it was logged under reference " + errorId,
        null,
        errorId);
  }

  private static byte[] write(Problem problem) {
    try {
      return WRITER.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a problem", e);
    }
  }
}
