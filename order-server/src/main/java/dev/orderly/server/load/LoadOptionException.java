package dev.orderly.server.load;

import dev.orderly.core.OrderlyException;

/**
 * A load-tool option with a value the tool cannot use. The message is one line that names the
 * option and the value; {@link #option()} says which one. Immutable.
 */
public final class LoadOptionException extends OrderlyException {

  private static final long serialVersionUID = 1L;

  private final String option;

  LoadOptionException(String option, String message) {
    super(message);
    this.option = option;
  }

  /** The flag at fault, such as {@code --orders}. */
  public String option() {
    return option;
  }
}
