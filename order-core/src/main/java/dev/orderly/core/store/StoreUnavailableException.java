package dev.orderly.core.store;

import dev.orderly.core.OrderlyException;

/**
 * The store cannot answer now (its database is down or unreachable, its connections are all busy)
 * but may later; nothing was changed. Callers may retry after a pause; an HTTP front answers 503.
 */
public class StoreUnavailableException extends OrderlyException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
