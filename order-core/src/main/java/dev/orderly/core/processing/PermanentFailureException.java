package dev.orderly.core.processing;

import dev.orderly.core.OrderlyException;

/**
 * Thrown by an {@link OrderProcessor} when trying again cannot help (a card declined for good, an
 * item that no longer exists): the order goes to Failed at once, with this message as its error.
 */
public class PermanentFailureException extends OrderlyException {

  public PermanentFailureException(String message) {
    super(message);
  }

  public PermanentFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
