package dev.orderly.core.processing;

import dev.orderly.core.order.Order;

/**
 * The user's business step: what it means to process one order (charge, reserve, ship...).
 *
 * <p>The engine calls it from its worker threads, one order per call, so an implementation must be
 * thread-safe. Returning normally completes the order. Throwing fails the attempt: the engine
 * retries it under its {@link RetryPolicy}, unless the exception is a {@link
 * PermanentFailureException}, which fails the order at once. The order keeps the exception's
 * message as its last error, which clients see; its class goes only to the log. Delivery is at
 * least once: an order whose node crashes mid-step runs again elsewhere, so the step should be
 * idempotent.
 *
 * <pre>{@code
 * OrderProcessor processor = order -> payments.charge(order.userId(), order.totalAmount());
 * }</pre>
 */
@FunctionalInterface
public interface OrderProcessor {

  void process(Order order) throws Exception;
}
