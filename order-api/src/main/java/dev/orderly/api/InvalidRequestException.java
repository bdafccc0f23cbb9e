package dev.orderly.api;

import java.util.List;

/**
 * A request broke a rule of the HTTP layer (a query parameter, the shape of a body); answered as a
 * 400 problem naming the offending fields.
 */
final class InvalidRequestException extends RuntimeException {

  private final List<FieldError> errors;

  InvalidRequestException(String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.errors = List.copyOf(errors);
  }

  InvalidRequestException(String field, String message) {
    this("invalid " + field + ": " + message, List.of(new FieldError(field, message)));
  }

  List<FieldError> errors() {
    return errors;
  }
}
