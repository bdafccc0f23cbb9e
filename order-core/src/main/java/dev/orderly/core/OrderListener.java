package dev.orderly.core;

import dev.orderly.core.order.Order;

/**
 * Hears what happens to orders on this node. Every method has an empty default, so a listener
 * overrides only what it needs. Methods are called on the thread that caused the event (a caller of
 * {@code submit}, a worker) and must be quick and thread-safe; an exception thrown by one is logged
 * and otherwise ignored.
 */
public interface OrderListener {

  /** A new order was stored through this node. */
  default void created(Order order) {}

  /** A worker of this node starts an attempt; {@code order} is Processing. */
  default void started(Order order) {}

  /** An attempt succeeded; {@code order} is Completed. */
  default void completed(Order order) {}

  /** An attempt failed and will be tried again at {@code order.nextAttemptAt()}. */
  default void retryScheduled(Order order, Throwable error) {}

  /** An attempt failed for good; {@code order} is Failed. */
  default void failed(Order order, Throwable error) {}
}
