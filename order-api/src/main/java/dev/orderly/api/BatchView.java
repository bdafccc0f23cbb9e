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

  static final String CREATED = "created";
  static final String DUPLICATE = "duplicate";
  static final String CONFLICT = "conflict";
  static final String INVALID = "invalid";

  static BatchView of(List<Result> results) {
    return new BatchView(
        count(results, CREATED),
        count(results, DUPLICATE),
        count(results, CONFLICT),
        count(results, INVALID),
        results);
  }

  private static int count(List<Result> results, String outcome) {
    return (int) results.stream().filter(result -> result.outcome().equals(outcome)).count();
  }

  /**
   * The result for the order at {@code index}: its id and status unless invalid, its errors if so.
   *
   * @param outcome one of {@code created}, {@code duplicate}, {@code conflict}, {@code invalid}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"index", "outcome", "order_id", "status", "errors"})
  record Result(int index, String outcome, String orderId, String status, List<FieldError> errors) {

    static Result stored(int index, String outcome, String orderId, String status) {
      return new Result(index, outcome, orderId, status, null);
    }

    static Result invalid(int index, List<FieldError> errors) {
      return new Result(index, INVALID, null, null, errors);
    }
  }
}
