package dev.orderly.core.order;

import dev.orderly.core.OrderlyException;
import java.util.List;
import java.util.stream.Collectors;

/** An order input broke one or more rules; {@link #violations()} names each field and problem. */
public class InvalidOrderException extends OrderlyException {

  private final List<Violation> violations;

  public InvalidOrderException(List<Violation> violations) {
    super(
        "invalid order: "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public InvalidOrderException(Violation violation) {
    this(List.of(violation));
  }

  public List<Violation> violations() {
    return violations;
  }
}
