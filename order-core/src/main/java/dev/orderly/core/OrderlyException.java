package dev.orderly.core;

/**
 * The root of every exception Orderly throws on purpose. Subclasses carry the facts of the problem
 * (the order id, the statuses involved), not only a message.
 */
public class OrderlyException extends RuntimeException {

  public OrderlyException(String message) {
    super(message);
  }

  public OrderlyException(String message, Throwable cause) {
    super(message, cause);
  }
}
