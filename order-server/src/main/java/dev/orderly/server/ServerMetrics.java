package dev.orderly.server;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.orderly.core.OrderEngine;
import dev.orderly.core.OrderListener;
import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's Micrometer registry, in Prometheus's format: the engine's counters and latency
 * histograms (fed by an {@link OrderListener}), gauges over the store's counts and Pending backlog,
 * HTTP requests by route, method and status, the HikariCP pool, and the JVM. Thread-safe.
 *
 * <pre>{@code
 * ServerMetrics metrics = ServerMetrics.create();
 * OrderEngine engine = OrderEngine.builder(store, processor).listener(metrics.engineListener()).build();
 * metrics.bindEngine(engine);
 * String text = metrics.scrape("text/plain; version=0.0.4; charset=utf-8");
 * }</pre>
 *
 * <p>The store gauges read one snapshot of the store's statistics and backlog, taken at most once
 * per {@link #DEFAULT_SNAPSHOT_TTL}: a scrape reads eight gauges, and each would otherwise cost a
 * database round trip.
 */
final class ServerMetrics implements AutoCloseable {

  /** How long one reading of the store serves the store gauges: 1 s. */
  static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofSeconds(1);

  /**
   * Histogram buckets of the processing time and queue wait, in seconds: from 5 ms to 10 minutes,
   * the range from an instant demo order to a long backlog.
   */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300),
    Duration.ofSeconds(600)
  };

  private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final Duration snapshotTtl;
  private final Counter created;
  private final Counter completed;
  private final Counter failed;
  private final Counter retried;
  private final Timer processingTime;
  private final Timer queueWait;
  private final HttpMeters http;
  private final Object snapshotLock = new Object();
  private StoreSnapshot snapshot;

  private ServerMetrics(PrometheusMeterRegistry registry, boolean jvm, Duration snapshotTtl) {
    this.registry = registry;
    this.snapshotTtl = snapshotTtl;
    if (jvm) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      gcMetrics = new JvmGcMetrics();
      gcMetrics.bindTo(registry);
    } else {
      gcMetrics = null;
    }
    created = counter("orderly.orders.submitted", "Orders stored through this node");
    completed = counter("orderly.orders.completed", "Orders this node completed");
    failed = counter("orderly.orders.failed", "Orders that failed for good on this node");
    retried =
        counter("orderly.orders.retried", "Attempts on this node rescheduled after a failure");
    processingTime =
        latency("orderly.processing", "Creation to completion of orders this node completed");
    queueWait =
        latency("orderly.queue.wait", "Creation to first start of orders this node started");
    http = new HttpMeters(registry);
  }

  /** A registry with the JVM's meters. */
  static ServerMetrics create() {
    return new ServerMetrics(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true, DEFAULT_SNAPSHOT_TTL);
  }

  /** For tests: no JVM meters (their values change by themselves) and a chosen snapshot age. */
  static ServerMetrics withoutJvm(Duration snapshotTtl) {
    return new ServerMetrics(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false, snapshotTtl);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts and times what the engine does; register it on the engine's builder. */
  OrderListener engineListener() {
    return new OrderListener() {
      @Override
      public void created(Order order) {
        created.increment();
      }

      @Override
      public void started(Order order) {
        // Queue wait ends at the first start only, as in the store's statistics.
        if (order.attempts() == 1) {
          order.queueWait().ifPresent(queueWait::record);
        }
      }

      @Override
      public void completed(Order order) {
        completed.increment();
        order.processingTime().ifPresent(processingTime::record);
      }

      @Override
      public void retryScheduled(Order order, Throwable error) {
        retried.increment();
      }

      @Override
      public void failed(Order order, Throwable error) {
        failed.increment();
      }
    };
  }

  /**
   * Adds the gauges over {@code engine}: orders per status, due Pending orders, the age of the
   * oldest Pending order (from the store), and the orders in flight on this node.
   */
  void bindEngine(OrderEngine engine) {
    Objects.requireNonNull(engine, "engine");
    Supplier<StoreSnapshot> store = () -> snapshot(engine);
    for (OrderStatus status : OrderStatus.values()) {
      storeGauge(
          "orderly.orders",
          "Stored orders per status",
          store,
          s -> s.statistics().statusCounts().of(status),
          status.label());
    }
    storeGauge(
        "orderly.pending.due",
        "Pending orders due now, counted up to " + PendingBacklog.DEFAULT_DUE_LIMIT,
        store,
        s -> s.backlog().due(),
        null);
    Gauge.builder(
            "orderly.pending.oldest.age",
            store,
            s -> {
              StoreSnapshot current = s.get();
              return current == null
                  ? Double.NaN
                  : current.backlog().oldestPendingAge().map(ServerMetrics::seconds).orElse(0.0);
            })
        .description("Seconds since the oldest Pending order was created; 0 when none is Pending")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    Gauge.builder("orderly.in.flight", engine, e -> e.nodeMetrics().inFlight())
        .description("Orders this node is processing now")
        .register(registry);
  }

  /** HikariCP's pool meters ({@code hikaricp_connections_*}) in this registry. */
  MetricsTrackerFactory hikari() {
    return new MicrometerMetricsTrackerFactory(registry);
  }

  /**
   * Times every HTTP request by route template, method and status: registered on the application
   * for Jersey's requests, and handed to the fast path for the creates it answers.
   */
  HttpMeters httpMeters() {
    return http;
  }

  /** The registry in {@code contentType}: the Prometheus text format 0.0.4 or OpenMetrics 1.0.0. */
  String scrape(String contentType) {
    return registry.scrape(contentType);
  }

  @Override
  public void close() {
    if (gcMetrics != null) {
      gcMetrics.close();
    }
    registry.close();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  private void storeGauge(
      String name,
      String description,
      Supplier<StoreSnapshot> store,
      ToDoubleFunction<StoreSnapshot> value,
      String status) {
    Gauge.Builder<Supplier<StoreSnapshot>> gauge =
        Gauge.builder(
                name,
                store,
                s -> {
                  StoreSnapshot current = s.get();
                  return current == null ? Double.NaN : value.applyAsDouble(current);
                })
            .description(description)
            // Micrometer holds a gauge's object weakly; this supplier lives nowhere else.
            .strongReference(true);
    if (status != null) {
      gauge.tag("status", status);
    }
    gauge.register(registry);
  }

  /** The store's figures, read again when the last reading is older than the snapshot age. */
  private StoreSnapshot snapshot(OrderEngine engine) {
    synchronized (snapshotLock) {
      long now = System.nanoTime();
      if (snapshot == null || now - snapshot.readAt() >= snapshotTtl.toNanos()) {
        try {
          snapshot =
              new StoreSnapshot(
                  engine.client().statistics(), engine.client().pendingBacklog(), now);
        } catch (RuntimeException e) {
          // A scrape must not fail because the database is down; the gauges read NaN meanwhile.
          LOG.debug("metrics: the store does not answer: {}", e.toString());
          snapshot = null;
        }
      }
      return snapshot;
    }
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private record StoreSnapshot(OrderStatistics statistics, PendingBacklog backlog, long readAt) {}
}
