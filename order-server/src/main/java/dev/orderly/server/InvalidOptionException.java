package dev.orderly.server;

import dev.orderly.core.OrderlyException;

/**
 * A command-line option or {@code ORDERLY_*} environment variable with a value the server cannot
 * use. The message is one line that names the option (or variable) and the value; {@link #option()}
 * says which one. Immutable.
 */
public final class InvalidOptionException extends OrderlyException {

  private final String option;

  InvalidOptionException(String option, String message) {
    super(message);
    this.option = option;
  }

  /** The flag ({@code --port}) or environment variable ({@code ORDERLY_PORT}) at fault. */
  public String option() {
    return option;
  }
}
