package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The answer of {@code POST /orders/batch}: how many orders had each outcome, then one result per
 * submitted order, in the order sent.
 */
@JsonPropertyOrder({"created", "duplicate", "conflict", "invalid", "results"})
record BatchView(int created, int duplicate, int conflict, int invalid, List<Result> results) {

  static BatchView of(List<Result> results) {
    int[] counts = new int[Outcome.values().length];
    results.forEach(result -> counts[result.outcomeValue().ordinal()]++);
    return new BatchView(
        counts[Outcome.CREATED.ordinal()],
        counts[Outcome.DUPLICATE.ordinal()],
        counts[Outcome.CONFLICT.ordinal()],
        counts[Outcome.INVALID.ordinal()],
        results);
  }

  /** What became of one order of a batch. */
  enum Outcome {
    CREATED,
    DUPLICATE,
    CONFLICT,
    INVALID;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The result for the order at {@code index}: its id and status unless invalid, its errors if so.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"index", "outcome", "order_id", "status", "errors"})
  record Result(int index, String outcome, String orderId, String status, List<FieldError> errors) {

    static Result stored(int index, Outcome outcome, String orderId, String status) {
      return new Result(index, outcome.wire(), orderId, status, null);
    }

    static Result invalid(int index, List<FieldError> errors) {
      return new Result(index, Outcome.INVALID.wire(), null, null, errors);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    Outcome outcomeValue() {
      return Outcome.valueOf(outcome.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
