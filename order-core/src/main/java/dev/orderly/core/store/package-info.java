/**
 * The storage and durable-queue SPI ({@link dev.orderly.core.store.OrderStore}) and its in-memory
 * implementation.
 */
package dev.orderly.core.store;
