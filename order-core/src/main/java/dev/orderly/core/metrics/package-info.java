/** What the store and an engine report about the orders: counts, latencies and throughput. */
package dev.orderly.core.metrics;
