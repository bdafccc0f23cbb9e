package dev.orderly.core;

import dev.orderly.core.internal.Dispatcher;
import dev.orderly.core.internal.EngineSettings;
import dev.orderly.core.internal.Listeners;
import dev.orderly.core.internal.NodeStats;
import dev.orderly.core.metrics.NodeMetrics;
import dev.orderly.core.metrics.OrderMetrics;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderConflictException;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.processing.OrderProcessor;
import dev.orderly.core.processing.RetryPolicy;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.OrderPage;
import dev.orderly.core.store.OrderQuery;
import dev.orderly.core.store.OrderStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Processes orders: accepts them into a store, claims them under leases, runs the user's {@link
 * OrderProcessor} on a pool of workers, retries failures with backoff, and completes them. Many
 * engines, in one process or many, may share one store; no order runs on two of them at once.
 *
 * <pre>{@code
 * try (OrderEngine engine = OrderEngine.builder(store, order -> ship(order))
 *         .workers(8)
 *         .leaseDuration(Duration.ofSeconds(30))
 *         .build()) {
 *     engine.start();
 *     engine.submit(NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00")));
 * }
 * }</pre>
 *
 * <p>Settings are fixed once built. {@link #start()} starts the worker, dispatcher and lease
 * renewal threads; {@link #close()} stops claiming, waits up to the shutdown timeout for running
 * orders and releases the leases of those it abandons so that another node can take them at once.
 * Thread-safe.
 */
public final class OrderEngine implements AutoCloseable {

  public static final int DEFAULT_WORKERS = 4;
  public static final int DEFAULT_CLAIM_BATCH_SIZE = 64;
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(OrderEngine.class.getName());

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final EngineSettings settings;
  private final NodeStats stats;
  private final Dispatcher dispatcher;
  private final OrderClient client;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

  private OrderEngine(EngineSettings settings, List<OrderListener> listeners) {
    this.settings = settings;
    this.stats = new NodeStats(settings.clock());
    Listeners allListeners = new Listeners(listeners);
    this.dispatcher = new Dispatcher(settings, allListeners, stats);
    this.client =
        new OrderClient(settings.store(), settings.clock(), allListeners, dispatcher::handOff);
  }

  /** Starts building an engine over {@code store} that runs {@code processor} for each order. */
  public static Builder builder(OrderStore store, OrderProcessor processor) {
    return new Builder(store, processor);
  }

  /**
   * Starts processing.
   *
   * @throws IllegalStateException when the engine was started or closed before
   */
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("engine " + settings.nodeId() + " is " + state.get());
    }
    dispatcher.start();
    LOG.log(
        Level.INFO,
        "Orderly engine {0} started: {1} workers, lease {2}, poll every {3}",
        settings.nodeId(),
        settings.workers(),
        settings.leaseDuration(),
        settings.pollInterval());
  }

  public boolean isRunning() {
    return state.get() == State.RUNNING;
  }

  /**
   * Stores a new Pending order and, if the engine runs, hands it to a worker at once.
   *
   * @throws OrderConflictException when the id belongs to an order with other content
   * @see OrderClient#submit(NewOrder)
   */
  public CreateResult submit(NewOrder order) {
    return client.submit(order);
  }

  /** As {@link #submit}, answering when durable. See {@link OrderClient#submitAsync(NewOrder)}. */
  public CompletableFuture<CreateResult> submitAsync(NewOrder order) {
    return client.submitAsync(order);
  }

  /** Stores many orders; one result per order. See {@link OrderClient#submitAll(List)}. */
  public List<CreateResult> submitAll(List<NewOrder> orders) {
    return client.submitAll(orders);
  }

  public Optional<Order> find(OrderId orderId) {
    return client.find(orderId);
  }

  public OrderPage list(OrderQuery query) {
    return client.list(query);
  }

  public Order cancel(OrderId orderId) {
    return client.cancel(orderId);
  }

  public Order retry(OrderId orderId) {
    return client.retry(orderId);
  }

  /** The accepting side of this engine, for code that needs no more than a client. */
  public OrderClient client() {
    return client;
  }

  /** Exact figures over all stored orders, and this node's own. */
  public OrderMetrics metrics() {
    return new OrderMetrics(
        settings.store().statistics(), stats.snapshot(settings.nodeId(), dispatcher.inFlight()));
  }

  /**
   * This node's own figures only, without asking the store: cheap enough for a gauge read on every
   * scrape.
   */
  public NodeMetrics nodeMetrics() {
    return stats.snapshot(settings.nodeId(), dispatcher.inFlight());
  }

  public String nodeId() {
    return settings.nodeId();
  }

  /**
   * Runs one dispatch round in the calling thread: takes back expired leases, claims up to the
   * claim batch size of due orders and processes them one after the other. For tests that step a
   * clock, and for callers who drive an engine they did not start.
   *
   * @return how many orders were processed
   */
  public int runOnce() {
    return dispatcher.runOnce();
  }

  /**
   * Extends the lease of every order running on this engine; a started engine does this by itself
   * every third of a lease duration.
   *
   * @return how many leases were renewed
   */
  public int renewLeases() {
    return dispatcher.renewLeases();
  }

  /**
   * Stops claiming, waits up to the shutdown timeout for running orders, and releases the leases of
   * those it abandons. Closing twice does nothing.
   */
  @Override
  public void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.RUNNING) {
      int released = dispatcher.stop();
      LOG.log(
          Level.INFO,
          "Orderly engine {0} stopped; {1} unfinished orders released",
          settings.nodeId(),
          released);
    }
  }

  /**
   * Collects an engine's settings; {@link #build()} validates them and fixes them for good. Not
   * thread-safe.
   */
  public static final class Builder {

    private final OrderStore store;
    private final OrderProcessor processor;
    private int workers = DEFAULT_WORKERS;
    private int claimBatchSize = DEFAULT_CLAIM_BATCH_SIZE;
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private String nodeId;
    private final List<OrderListener> listeners = new ArrayList<>();

    private Builder(OrderStore store, OrderProcessor processor) {
      this.store = Objects.requireNonNull(store, "store");
      this.processor = Objects.requireNonNull(processor, "processor");
    }

    /** How many orders run at once on this engine; default {@value #DEFAULT_WORKERS}. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** How many orders one claim takes at most; default {@value #DEFAULT_CLAIM_BATCH_SIZE}. */
    public Builder claimBatchSize(int claimBatchSize) {
      this.claimBatchSize = claimBatchSize;
      return this;
    }

    /**
     * How long a claim holds an order before another node may take it over; renewed while the order
     * runs. Default 30 s.
     */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
      return this;
    }

    /** How often the store is searched for due orders nobody handed over; default 1 s. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /** How long {@link OrderEngine#close()} waits for running orders; default 10 s. */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** The source of every time the engine records and compares; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The name this engine claims orders under, seen as an order's {@code processedBy}; unique per
     * engine. Default: host name, process id and a random suffix.
     */
    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder listener(OrderListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Validates the settings and builds a stopped engine.
     *
     * @throws IllegalArgumentException naming the first option with a bad value
     */
    public OrderEngine build() {
      requireAtLeastOne("workers", workers);
      requireAtLeastOne("claimBatchSize", claimBatchSize);
      requirePositive("leaseDuration", leaseDuration);
      requirePositive("pollInterval", pollInterval);
      Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
      if (shutdownTimeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must be >= 0, was " + shutdownTimeout);
      }
      Objects.requireNonNull(retryPolicy, "retryPolicy");
      Objects.requireNonNull(clock, "clock");
      String node = nodeId == null ? defaultNodeId() : nodeId;
      if (node.isBlank() || node.length() > 128) {
        throw new IllegalArgumentException(
            "nodeId must be 1 to 128 non-blank characters, was '" + node + "'");
      }
      return new OrderEngine(
          new EngineSettings(
              store,
              processor,
              workers,
              claimBatchSize,
              leaseDuration,
              pollInterval,
              shutdownTimeout,
              retryPolicy,
              clock,
              node),
          listeners);
    }

    private static void requireAtLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, was " + value);
      }
    }

    private static void requirePositive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
    }

    private static String defaultNodeId() {
      String host = System.getenv().getOrDefault("HOSTNAME", "orderly");
      return host
          + "-"
          + ProcessHandle.current().pid()
          + "-"
          + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }
  }
}
