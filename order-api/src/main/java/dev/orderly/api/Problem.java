package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every 4xx and 5xx answer, sent as {@code
 * application/problem+json}.
 *
 * @param type a URI naming the kind of problem (see {@link ProblemType})
 * @param errors the offending fields of a validation problem, else absent
 * @param errorId the reference under which an unexpected error was logged, else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "errors", "error_id"})
record Problem(
    String type,
    String title,
    int status,
    String detail,
    List<FieldError> errors,
    String errorId) {}
