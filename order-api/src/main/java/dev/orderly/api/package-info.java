/**
 * Orderly's HTTP API: the Jersey application, its resources, the JSON representations (records) and
 * the mapping of every error to {@code application/problem+json}. Only {@link
 * dev.orderly.api.OrderlyApplication} is public, and {@link dev.orderly.api.OrderCreation}, the
 * create of {@code POST /orders} for an HTTP layer that answers it without JAX-RS.
 */
package dev.orderly.api;
