/**
 * Orderly's HTTP API: the Jersey application, its resources, the JSON representations (records) and
 * the mapping of every error to {@code application/problem+json}. Only {@link
 * dev.orderly.api.OrderlyApplication} is public.
 */
package dev.orderly.api;
