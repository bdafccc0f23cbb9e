package dev.orderly.core.metrics;

/**
 * What one engine did since it started: orders it completed, failed and rescheduled, what it is
 * running now, latencies over its recent orders, and its completions per second over the last
 * minute. Immutable.
 *
 * @param processingTime creation to completion, over the orders this node completed recently
 * @param queueWait creation to first start, over the orders this node started first recently
 * @param throughputPerSecond orders completed per second over the last minute
 */
public record NodeMetrics(
    String nodeId,
    long completed,
    long failed,
    long retried,
    int inFlight,
    LatencySummary processingTime,
    LatencySummary queueWait,
    double throughputPerSecond) {}
