/**
 * The user's business step ({@link dev.orderly.core.processing.OrderProcessor}) and how failures
 * are retried.
 */
package dev.orderly.core.processing;
