package dev.orderly.server;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.orderly.api.OrderCreation;
import dev.orderly.api.OrderlyApplication;
import dev.orderly.core.OrderClient;
import dev.orderly.core.OrderEngine;
import dev.orderly.core.OrderlyException;
import dev.orderly.core.metrics.NodeMetrics;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.store.OrderStore;
import dev.orderly.persistence.EmbeddedDatabase;
import dev.orderly.persistence.Migrations;
import dev.orderly.persistence.PostgresOrderStore;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A running Orderly server: the HTTP API on Grizzly, an order engine with the demo processor, and
 * the store that {@link ServerConfig#store()} names. {@link #start(ServerConfig)} brings it up;
 * {@link #close()} shuts it down gracefully. Thread-safe.
 *
 * <pre>{@code
 * try (OrderlyServer server = OrderlyServer.start(ServerConfig.parse(args, System.getenv()))) {
 *   URI orders = server.uri().resolve("/orders");
 * }
 * }</pre>
 *
 * <p>Closing stops accepting HTTP requests and lets running ones finish, closes the engine (which
 * waits up to the shutdown timeout for running orders and then releases the rest to Pending, so no
 * order is left Processing), then closes the store and stops the embedded database.
 */
public final class OrderlyServer implements AutoCloseable {

  /** The API's limit on a request body; Grizzly's buffers are sized to match it. */
  public static final int MAX_REQUEST_BODY_BYTES = 1024 * 1024;

  /**
   * How long a request body may take to arrive in full after its headers: 10 s. Bodies are read
   * without holding an HTTP thread; one still incomplete then is answered 408, its connection
   * closed.
   */
  public static final Duration REQUEST_BODY_TIMEOUT = Duration.ofSeconds(10);

  /** Requests served on one keep-alive connection before the server closes it. */
  static final int KEEP_ALIVE_MAX_REQUESTS = 10_000;

  /** How long running HTTP requests may take to finish once the server stops accepting: 3 s. */
  static final Duration HTTP_GRACE_PERIOD = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(OrderlyServer.class);
  private static final String VERSION_RESOURCE = "version.properties";
  private static final String WILDCARD_IPV4 = "0.0.0.0";
  private static final String WILDCARD_IPV6 = "::";
  private static final String LOOPBACK = "127.0.0.1";

  private final ServerConfig config;
  private final OpenStore storage;
  private final ServerMetrics metrics;
  private final OrderEngine engine;
  private final HttpServer http;
  private final ServerGate gate;
  private final DatabaseWatchdog watchdog;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<String> databaseLost = new CompletableFuture<>();

  private OrderlyServer(
      ServerConfig config,
      OpenStore storage,
      ServerMetrics metrics,
      OrderEngine engine,
      HttpServer http,
      ServerGate gate,
      DatabaseWatchdog watchdog,
      URI uri) {
    this.config = config;
    this.storage = storage;
    this.metrics = metrics;
    this.engine = engine;
    this.http = http;
    this.gate = gate;
    this.watchdog = watchdog;
    this.uri = uri;
  }

  /**
   * Opens the store, starts the engine and starts listening; on failure, closes whatever it had
   * opened.
   *
   * <p>The port is bound first, so that a port in use fails the start at once, before a database is
   * created or started; until the server is ready, requests are answered 503 problem+json.
   *
   * @throws OrderlyException when the port cannot be bound, or the database cannot be started or
   *     reached; the message says which
   */
  public static OrderlyServer start(ServerConfig config) {
    return start(config, DatabaseWatchdog.Policy.DEFAULT);
  }

  /** As {@link #start(ServerConfig)}, with the embedded database watched by {@code watchdog}. */
  static OrderlyServer start(ServerConfig config, DatabaseWatchdog.Policy watchdog) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(watchdog, "watchdog");
    long started = System.nanoTime();
    ServerGate gate = new ServerGate();
    HttpServer http = httpServer(config, gate);
    listen(config, http);
    try {
      return start(config, watchdog, started, gate, http);
    } catch (RuntimeException | Error e) {
      http.shutdownNow();
      throw e;
    }
  }

  private static OrderlyServer start(
      ServerConfig config,
      DatabaseWatchdog.Policy watchdogPolicy,
      long started,
      ServerGate gate,
      HttpServer http) {
    // The database starts on its own thread while this one builds the metrics, the engine and the
    // HTTP application: each takes a second or two on a cold JVM, and they do not depend on each
    // other. The pool, opened once the database is up, waits for the metrics.
    CompletableFuture<MetricsTrackerFactory> poolMetrics = new CompletableFuture<>();
    CompletableFuture<OpenStore> opening = openInBackground(config, poolMetrics);
    ServerMetrics metrics;
    try {
      metrics = ServerMetrics.create();
    } catch (RuntimeException | Error e) {
      poolMetrics.completeExceptionally(e);
      closeWhenOpen(opening, e);
      throw e;
    }
    poolMetrics.complete(metrics.hikari());
    routeJavaUtilLoggingToSlf4j();
    LOG.info("Starting Orderly {}: {}", version(), config);
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      StartingOrderStore store = new StartingOrderStore(opening.thenApply(OpenStore::store));
      OrderEngine engine = engine(config, store, metrics);
      opened.push(engine);
      metrics.bindEngine(engine);
      HttpHandler api = createHandler(config, engine, metrics);
      if (config.store() != ServerConfig.Store.IN_MEMORY && !opening.isDone()) {
        // Idle until the database is up (an embedded first start runs initdb): load the schema
        // migrations' machinery meanwhile, which the store needs as soon as it connects.
        Migrations.prepare();
      }
      store.awaitOpen();
      OpenStore open = opening.join();
      engine.start();
      DatabaseWatchdog watchdog =
          open.database() == null ? null : DatabaseWatchdog.start(open.database(), watchdogPolicy);
      if (watchdog != null) {
        opened.push(watchdog);
      }
      gate.open(api);
      int port = http.getListeners().iterator().next().getPort();
      URI uri = uri(config.host(), port);
      InetAddress bound = boundAddress(config.host());
      LOG.info(
          "Orderly {} listening on {}{} with {} workers; store: {}; ready in {} ms (JVM running for"
              + " {} ms)",
          version(),
          URI.create("http://" + hostForUri(bound.getHostAddress()) + ":" + port + "/"),
          bound.isAnyLocalAddress() ? " (every interface)" : "",
          config.workers(),
          config.storeDescription(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          // The launch itself (the JVM, logging, the options) comes before start(): say it too.
          ManagementFactory.getRuntimeMXBean().getUptime());
      if (!bound.isLoopbackAddress() && config.apiToken() == null) {
        LOG.warn(
            "Listening on {} without an API token: anyone who reaches port {} can read, create and"
                + " cancel orders. Set --api-token (ORDERLY_API_TOKEN), or --host 127.0.0.1 for"
                + " this machine only",
            bound.getHostAddress(),
            port);
      }
      OrderlyServer server =
          new OrderlyServer(config, open, metrics, engine, http, gate, watchdog, uri);
      if (watchdog != null) {
        watchdog.lost().thenAccept(server::databaseLost);
      }
      return server;
    } catch (RuntimeException | Error e) {
      closeAll(opened, e);
      closeWhenOpen(opening, e);
      metrics.close();
      throw e;
    }
  }

  /** The server's base URI, such as {@code http://127.0.0.1:8080/}, with the port it bound. */
  public URI uri() {
    return uri;
  }

  public ServerConfig config() {
    return config;
  }

  /** The engine's node id, seen as an order's {@code processed_by}. */
  public String nodeId() {
    return engine.nodeId();
  }

  /** Whether the server is up: not closed, its engine running, and its database not lost. */
  public boolean isRunning() {
    return !closed.get() && engine.isRunning() && !gate.hasFailed();
  }

  /**
   * Completes, with the reason, when the embedded database has stopped and could not be restarted
   * (see {@link DatabaseWatchdog}): from then on every request, {@code /health/live} included, is
   * answered 503, and the command line exits with a non-zero status so that a supervisor restarts
   * the process. Never completes for the other stores, whose database is not this process's.
   */
  public CompletableFuture<String> databaseLost() {
    return databaseLost;
  }

  private void databaseLost(String reason) {
    gate.fail(reason);
    databaseLost.complete(reason);
  }

  /**
   * Shuts down gracefully: stops accepting HTTP requests and waits up to 3 s for running ones,
   * closes the engine (running orders finish or are released to Pending within the shutdown
   * timeout), closes the store and stops the embedded database. Closing twice does nothing; a step
   * that fails is logged and the rest still run.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    LOG.info("Stopping Orderly on {}", uri);
    if (watchdog != null) {
      watchdog.close();
    }
    stopHttp();
    step("close the engine", engine::close);
    storage.close();
    metrics.close();
    LOG.info(
        "Orderly stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Override
  public String toString() {
    return "OrderlyServer[" + uri + ", " + config.storeDescription() + "]";
  }

  /** The version of this build, such as {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    try (InputStream in = OrderlyServer.class.getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The store, and the embedded database under it if there is one; closing closes both, the store
   * first.
   */
  private record OpenStore(OrderStore store, EmbeddedDatabase database) {

    static OpenStore open(
        ServerConfig config, CompletableFuture<MetricsTrackerFactory> poolMetrics) {
      return switch (config.store()) {
        case IN_MEMORY -> new OpenStore(new InMemoryOrderStore(), null);
        case EXTERNAL -> {
          try {
            yield new OpenStore(
                postgresStore(
                    config,
                    config.dbUrl(),
                    config.dbUser(),
                    config.dbPassword(),
                    poolMetrics.join()),
                null);
          } catch (RuntimeException e) {
            // Hikari's and Flyway's messages do not say which database; the operator needs to.
            throw new OrderlyException(
                "could not open the " + config.storeDescription() + ": " + e.getMessage(), e);
          }
        }
        case EMBEDDED -> {
          EmbeddedDatabase database = EmbeddedDatabase.start(config.dataDir());
          try {
            yield new OpenStore(
                postgresStore(
                    config,
                    database.jdbcUrl(),
                    database.user(),
                    database.password(),
                    poolMetrics.join()),
                database);
          } catch (RuntimeException | Error e) {
            database.close();
            throw e;
          }
        }
      };
    }

    void close() {
      if (store instanceof AutoCloseable closeable) {
        step("close the store", closeable::close);
      }
      if (database != null) {
        step("stop the embedded database", database::close);
      }
    }
  }

  private static CompletableFuture<OpenStore> openInBackground(
      ServerConfig config, CompletableFuture<MetricsTrackerFactory> poolMetrics) {
    if (config.store() == ServerConfig.Store.IN_MEMORY) {
      return CompletableFuture.completedFuture(OpenStore.open(config, poolMetrics));
    }
    CompletableFuture<OpenStore> opening = new CompletableFuture<>();
    Thread opener =
        new Thread(
            () -> {
              try {
                opening.complete(OpenStore.open(config, poolMetrics));
              } catch (Throwable e) {
                opening.completeExceptionally(e);
              }
            },
            "orderly-store-open");
    opener.setDaemon(true);
    opener.start();
    return opening;
  }

  /** After a failed start: waits for the store to open, if it does, and closes it. */
  private static void closeWhenOpen(CompletableFuture<OpenStore> opening, Throwable failure) {
    OpenStore open;
    try {
      open = opening.join();
    } catch (RuntimeException e) {
      // The opening failed, and that failure is the one being reported, or one beside it.
      if (e.getCause() != failure) {
        failure.addSuppressed(e.getCause() != null ? e.getCause() : e);
      }
      return;
    }
    open.close();
  }

  private static PostgresOrderStore postgresStore(
      ServerConfig config,
      String url,
      String user,
      String password,
      MetricsTrackerFactory poolMetrics) {
    return PostgresOrderStore.builder(url, user, password)
        .poolSize(config.dbPoolSize())
        .connectionTimeout(config.dbTimeout())
        .metricsTrackerFactory(poolMetrics)
        .build();
  }

  private static OrderEngine engine(ServerConfig config, OrderStore store, ServerMetrics metrics) {
    OrderEngine.Builder builder =
        OrderEngine.builder(
                store, new DemoProcessor(config.processingDelay(), config.failureRate()))
            .workers(config.workers())
            .shutdownTimeout(config.shutdownTimeout())
            .leaseDuration(config.lease())
            .listener(metrics.engineListener());
    if (config.nodeId() != null) {
      builder.nodeId(config.nodeId());
    }
    return builder.build();
  }

  /**
   * The handler of the API: Jersey runs the application, behind the fast path for plain creates.
   */
  private static HttpHandler createHandler(
      ServerConfig config, OrderEngine engine, ServerMetrics metrics) {
    OrderClient client = engine.client();
    OrderlyApplication application =
        application(config, client, engine::isRunning, engine::nodeMetrics, metrics);
    HttpHandler jersey = ContainerFactory.createContainer(GrizzlyHttpContainer.class, application);
    return new OrderCreateFastPath(
        jersey,
        new OrderCreation(client),
        config.apiToken(),
        MAX_REQUEST_BODY_BYTES,
        OrderCreation.TIMEOUT,
        metrics.httpMeters());
  }

  /** The API with the options of {@code config}, its HTTP requests timed in {@code metrics}. */
  static OrderlyApplication application(
      ServerConfig config,
      OrderClient client,
      BooleanSupplier engineRunning,
      Supplier<NodeMetrics> nodeMetrics,
      ServerMetrics metrics) {
    OrderlyApplication application =
        new OrderlyApplication(client, engineRunning, nodeMetrics, metrics::scrape);
    application.register(metrics.httpMeters());
    if (config.apiToken() != null) {
      application.requireBearerToken(config.apiToken());
    }
    application.allowCorsOrigins(config.corsOrigins());
    // WADL needs JAXB, which is not here; without this Jersey logs a warning on every start.
    application.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    return application;
  }

  /**
   * A Grizzly server on the address of {@code config} that serves everything with {@code handler}.
   */
  static HttpServer httpServer(ServerConfig config, HttpHandler handler) {
    return httpServer(config, handler, REQUEST_BODY_TIMEOUT);
  }

  /** As {@link #httpServer(ServerConfig, HttpHandler)}, with another body timeout. */
  static HttpServer httpServer(ServerConfig config, HttpHandler handler, Duration bodyTimeout) {
    GrizzlyObjectCaches.enlarge();
    URI bind = URI.create("http://" + hostForUri(config.host()) + ":" + config.port() + "/");
    // The factory's listener and settings, with no handler; then the handler at the root, where
    // the factory would have put Jersey.
    HttpServer http =
        GrizzlyHttpServerFactory.createHttpServer(
            bind, (GrizzlyHttpContainer) null, false, null, false);
    http.getServerConfiguration()
        .addHttpHandler(handler, HttpHandlerRegistration.bulder().contextPath("").build());
    for (NetworkListener listener : http.getListeners()) {
      // Requests are read and parsed on the worker that serves them (Grizzly's HTTP default reads
      // on the selector thread): a request's objects then come from the cache of the thread that
      // recycles them. Measured: a third less CPU on the selector and in GC, 20-30 % more creates.
      listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
      listener
          .getTransport()
          .setWorkerThreadPoolConfig(
              ThreadPoolConfig.defaultConfig()
                  .copy()
                  .setPoolName("orderly-http")
                  .setCorePoolSize(config.httpThreads())
                  .setMaxPoolSize(config.httpThreads()));
      // Grizzly closes a keep-alive connection after 256 requests by default; a busy client then
      // pays a new TCP handshake every 256 creates. Nginx's default is 1,000.
      listener.getKeepAlive().setMaxRequestsCount(KEEP_ALIVE_MAX_REQUESTS);
      listener.setMaxFormPostSize(MAX_REQUEST_BODY_BYTES);
      listener.setMaxBufferedPostSize(MAX_REQUEST_BODY_BYTES);
      // Requests Grizzly cannot parse are refused there; with this, in problem+json as well.
      listener.registerAddOn(new ProblemHttpCodec.Installer());
      // Handlers run once the body is in: a slow client holds no HTTP thread.
      listener.registerAddOn(new CompleteBodyFilter.Installer(MAX_REQUEST_BODY_BYTES, bodyTimeout));
    }
    // A body the API refused unread is skipped up to this size to keep the connection alive.
    http.getServerConfiguration().setMaxPayloadRemainderToSkip(MAX_REQUEST_BODY_BYTES);
    // What Grizzly answers itself (an exception escaping a handler, a request while stopping):
    // problem+json, not its HTML page with its version and a stack trace.
    http.getServerConfiguration().setDefaultErrorPageGenerator(new ProblemErrorPages());
    return http;
  }

  /** Binds the port and starts serving; the handler decides what is answered meanwhile. */
  private static void listen(ServerConfig config, HttpServer http) {
    try {
      http.start();
    } catch (BindException e) {
      http.shutdownNow();
      throw new OrderlyException(
          "could not listen on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage()
              + " (another process holds port "
              + config.port()
              + ": stop it, or choose another port with --port)",
          e);
    } catch (IOException e) {
      http.shutdownNow();
      throw new OrderlyException(
          "could not listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /** The address the listener binds: the host resolved as Grizzly resolves it. */
  private static InetAddress boundAddress(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      // The listener has bound it, so this does not happen; say what was asked for.
      throw new OrderlyException("cannot resolve the bound host " + host, e);
    }
  }

  /** An IPv6 literal needs brackets in a URI. */
  private static String hostForUri(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Where a client on this machine reaches the server: the loopback address for a wildcard. */
  private static URI uri(String host, int port) {
    String reachable =
        host.equals(WILDCARD_IPV4) || host.equals(WILDCARD_IPV6) || host.equals("[::]")
            ? LOOPBACK
            : hostForUri(host);
    return URI.create("http://" + reachable + ":" + port + "/");
  }

  private void stopHttp() {
    try {
      http.shutdown(HTTP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)
          .get(HTTP_GRACE_PERIOD.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      LOG.info("HTTP listener on {} stopped", uri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      http.shutdownNow();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("HTTP requests still running after {}; stopping now", HTTP_GRACE_PERIOD);
      http.shutdownNow();
    }
  }

  private static void step(String what, ThrowingRunnable action) {
    try {
      action.run();
    } catch (Exception e) {
      LOG.warn("Could not {} cleanly", what, e);
    }
  }

  private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Hooks java.util.logging (Grizzly, Jersey) into SLF4J once per JVM. */
  private static synchronized void routeJavaUtilLoggingToSlf4j() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
