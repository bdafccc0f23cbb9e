package dev.orderly.core.metrics;

/**
 * Everything an engine reports: exact figures over all stored orders, from the store, and this
 * node's own figures. Immutable.
 */
public record OrderMetrics(OrderStatistics store, NodeMetrics node) {}
