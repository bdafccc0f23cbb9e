package dev.orderly.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Maps Jackson's exceptions to 400 problems in the API's own words. Jersey's built-in Jackson
 * mappers answer text/plain with Java class names; these replace them (one subclass per exception
 * type, so that each is the closest mapper for its type). Stateless and thread-safe.
 */
abstract class JsonProblemMapper<E extends JsonProcessingException> implements ExceptionMapper<E> {

  /** Jackson's advice to enable one of its features; meaningless to a client of the API. */
  private static final Pattern ADVICE = Pattern.compile("[:;,]?\\s*enable\\s+`[^`]*`\\s+to allow");

  /** Jackson quotes Java types and feature names in backticks; none of that reaches a client. */
  private static final Pattern BACKTICKED = Pattern.compile("`[^`]*`");

  private static final int MAX_DETAIL = 200;

  @Override
  public Response toResponse(E e) {
    return answer(e);
  }

  static Response answer(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      String field = FieldNames.shown(path(unknown));
      return Problems.response(
              ProblemType.INVALID_REQUEST,
              "unknown field '" + field + "'",
              List.of(new FieldError(field, "is not a known field")))
          .build();
    }
    if (e instanceof MismatchedInputException mismatch) {
      String field = FieldNames.shown(path(mismatch));
      if (field.isEmpty()) {
        return Problems.response(
                ProblemType.MALFORMED_JSON, "the request body does not have the expected shape")
            .build();
      }
      return Problems.response(
              ProblemType.INVALID_REQUEST,
              "field '" + field + "' has the wrong JSON type",
              List.of(new FieldError(field, "has the wrong JSON type")))
          .build();
    }
    if (e instanceof StreamConstraintsException) {
      return Problems.response(
              ProblemType.MALFORMED_JSON,
              "the request body exceeds a JSON limit: nesting deeper than "
                  + JsonMapperProvider.MAX_NESTING_DEPTH
                  + ", a number longer than "
                  + JsonMapperProvider.MAX_NUMBER_LENGTH
                  + " digits, or a field name longer than "
                  + JsonMapperProvider.MAX_NAME_LENGTH
                  + " characters")
          .build();
    }
    return Problems.response(
            ProblemType.MALFORMED_JSON, "the request body is not valid JSON" + where(e))
        .build();
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String where(JsonProcessingException e) {
    StringBuilder text = new StringBuilder();
    String message = e.getOriginalMessage();
    if (message != null && !message.isBlank()) {
      String line = message.lines().findFirst().orElse("");
      String clean = BACKTICKED.matcher(ADVICE.matcher(line).replaceAll("")).replaceAll("").trim();
      if (clean.length() > MAX_DETAIL) {
        clean = clean.substring(0, MAX_DETAIL) + "...";
      }
      text.append(": ").append(clean);
    }
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      text.append(" (line ")
          .append(location.getLineNr())
          .append(", column ")
          .append(location.getColumnNr())
          .append(')');
    }
    return text.toString();
  }

  static final class Processing extends JsonProblemMapper<JsonProcessingException> {}

  static final class StreamRead extends JsonProblemMapper<StreamReadException> {}

  static final class Parse extends JsonProblemMapper<JsonParseException> {}

  static final class Mismatch extends JsonProblemMapper<MismatchedInputException> {}

  static final class UnknownProperty extends JsonProblemMapper<UnrecognizedPropertyException> {}

  static final class Constraints extends JsonProblemMapper<StreamConstraintsException> {}
}
