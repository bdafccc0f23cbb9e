package dev.orderly.core.internal;

import dev.orderly.core.processing.OrderProcessor;
import dev.orderly.core.processing.RetryPolicy;
import dev.orderly.core.store.OrderStore;
import java.time.Clock;
import java.time.Duration;

/** An engine's sealed configuration, as its builder validated it. */
public record EngineSettings(
    OrderStore store,
    OrderProcessor processor,
    int workers,
    int claimBatchSize,
    Duration leaseDuration,
    Duration pollInterval,
    Duration shutdownTimeout,
    RetryPolicy retryPolicy,
    Clock clock,
    String nodeId) {}
