package dev.orderly.server.load;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the load tool against one server: create the orders, then (unless {@code --no-wait})
 * wait until they complete and check each one, and build the {@link #summary()}. Not thread-safe:
 * {@link #execute} runs once, on the caller's thread, with the client's I/O threads under it.
 */
final class LoadRun {

  /** How a checked order ended up. Stored per order as its ordinal. */
  enum Outcome {
    UNCHECKED,
    COMPLETED,
    NOT_FINISHED,
    FAILED,
    CANCELLED,
    MISSING,
    UNREADABLE
  }

  private static final int SAMPLE_IDS = 5;
  private static final int SAMPLE_BODY_CHARS = 300;
  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long the wait runs before completions are compared with creates: long enough for a server
   * that keeps pace to have caught up, short enough that a slow one is named long before the
   * timeout.
   */
  static final Duration SLOW_COMPLETION_CHECK_AFTER = Duration.ofSeconds(1);

  /** Orders completing this many times slower than they were created are called out. */
  static final double SLOW_COMPLETION_FACTOR = 10;

  private final LoadOptions options;
  private final PrintStream out;
  private final boolean terminal;
  private final InetSocketAddress address;
  private final ErrorCounts createErrors = new ErrorCounts();
  private final ErrorCounts verifyErrors = new ErrorCounts();
  private final Map<String, String> sampleBodies = new ConcurrentHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final Map<String, Object> summary = new LinkedHashMap<>();

  private final boolean[] acknowledged;
  private final byte[] outcomes;
  private final int[] attempts;
  private final LongAdder created = new LongAdder();
  private final LongAdder repeated = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder unanswered = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final LongAdder createsEnded = new LongAdder();
  private final AtomicLong firstCreatedMicros = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastCompletedMicros = new AtomicLong(Long.MIN_VALUE);
  private final Map<String, LongAdder> processedBy = new ConcurrentHashMap<>();
  private Instant createStart;
  private long createStartNanos;
  private double createThroughput;
  private Map<String, Object> baseline;

  LoadRun(LoadOptions options, PrintStream out, boolean terminal) {
    this.options = options;
    this.out = out;
    this.terminal = terminal;
    this.address = new InetSocketAddress(options.host(), options.port());
    this.acknowledged = new boolean[options.orders()];
    this.outcomes = new byte[options.orders()];
    this.attempts = new int[options.orders()];
  }

  /** Runs every phase and returns whether every check passed. */
  boolean execute() {
    summary.put("url", options.url());
    summary.put("orders", options.orders());
    summary.put("concurrency", options.concurrency());
    summary.put("io_threads", options.ioThreads());
    summary.put("rate_target", options.rate() > 0 ? options.rate() : "unlimited");
    summary.put("id_prefix", options.idPrefix());
    if (!preflight()) {
      return finish();
    }
    try {
      create();
      if (options.waitForCompletion() && count(acknowledged) > 0) {
        awaitCompletion();
      } else if (!options.waitForCompletion()) {
        summary.put("wait", "skipped (--no-wait)");
      }
    } catch (IOException e) {
      failures.add("the load client failed: " + e.getMessage());
    }
    return finish();
  }

  /** The run's figures, in the order they are printed. */
  Map<String, Object> summary() {
    return summary;
  }

  List<String> failures() {
    return failures;
  }

  static String orderId(String prefix, int index) {
    return prefix + index;
  }

  static String createBody(String orderId, int index) {
    return "{\"order_id\":"
        + Json.quote(orderId)
        + ",\"user_id\":\"load-user-"
        + (index % 1_000)
        + "\",\"item_ids\":[\"sku-"
        + (index % 100)
        + "\"],\"total_amount\":"
        + (1 + index % 500)
        + ".00}";
  }

  // ---- preflight -------------------------------------------------------------------------

  /** Checks that the server answers and remembers its counts before the run. */
  private boolean preflight() {
    Response metrics = fetch("/metrics");
    if (metrics.status() == 0) {
      failures.add("cannot reach the server at " + options.url() + ": " + metrics.body());
      return false;
    }
    baseline = metrics.status() == 200 ? parseOrNull(metrics.body()) : null;
    return true;
  }

  // ---- create ----------------------------------------------------------------------------

  private void create() throws IOException {
    out.printf(
        Locale.ROOT,
        "load: creating %d orders at %s over %d connections%s, ids %s0..%s%d%n",
        options.orders(),
        options.url(),
        options.concurrency(),
        options.rate() > 0 ? String.format(Locale.ROOT, " at %.0f/s", options.rate()) : "",
        options.idPrefix(),
        options.idPrefix(),
        options.orders() - 1);
    NioHttpClient client = client(options.concurrency(), true, createErrors);
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    createStartNanos = start;
    createStart = Instant.now();
    CreateSource source = new CreateSource(start);
    try (Progress progress =
        Progress.start(
            out,
            "create",
            options.orders(),
            createsEnded::sum,
            () -> createErrors.total() + unanswered.sum(),
            terminal)) {
      client.run(source, new CreateHandler());
    }
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpuBefore;
    long accepted = created.sum() + repeated.sum();
    LatencyHistogram latencies = client.latencies();
    summary.put("creates_accepted", accepted);
    summary.put("creates_created_201", created.sum());
    summary.put("creates_repeated_200", repeated.sum());
    summary.put("creates_refused", refused.sum());
    summary.put("creates_unanswered", unanswered.sum());
    summary.put("create_seconds", seconds(elapsed));
    createThroughput = accepted / Math.max(1e-9, elapsed / 1e9);
    summary.put("create_throughput_per_s", round1(createThroughput));
    putLatency("create_latency", latencies);
    summary.put("create_retries", client.retries());
    summary.put("connections_opened", client.connects());
    summary.put("create_errors", createErrors.snapshot());
    if (cpu > 0) {
      // The tool's own cost: a figure near 100 % of one core per I/O thread means the tool, not
      // the server, may be what limits the run (in-process runs also count the server's CPU).
      summary.put("client_cpu_percent_of_one_core", round1(100.0 * cpu / elapsed));
      summary.put("client_cpu_us_per_create", round1(cpu / 1e3 / Math.max(1, createsEnded.sum())));
    }
    if (accepted < options.orders()) {
      failures.add(
          (options.orders() - accepted)
              + " of "
              + options.orders()
              + " creates were not accepted"
              + describeErrors(createErrors));
    }
  }

  /** Hands out the creates in order, paced when {@code --rate} is set. */
  private final class CreateSource implements NioHttpClient.Source {
    private final AtomicLong next = new AtomicLong();
    private final long startNanos;
    private final double intervalNanos;

    CreateSource(long startNanos) {
      this.startNanos = startNanos;
      this.intervalNanos = options.rate() > 0 ? 1e9 / options.rate() : 0;
    }

    @Override
    public NioHttpClient.Exchange poll(long nowNanos) {
      while (true) {
        long index = next.get();
        if (index >= options.orders()) {
          return null;
        }
        long due = dueOf(index);
        if (due - nowNanos > 0) {
          return null;
        }
        if (next.compareAndSet(index, index + 1)) {
          int i = (int) index;
          String id = orderId(options.idPrefix(), i);
          byte[] request =
              NioHttpClient.request(
                  "POST", options.hostHeader(), options.basePath() + "/orders", createBody(id, i));
          // Unpaced, a create is due when a connection is free for it.
          return new NioHttpClient.Exchange(request, i, intervalNanos > 0 ? due : nowNanos);
        }
      }
    }

    @Override
    public long nextDueNanos() {
      return dueOf(next.get());
    }

    @Override
    public boolean exhausted() {
      return next.get() >= options.orders();
    }

    private long dueOf(long index) {
      return startNanos + (long) (index * intervalNanos);
    }
  }

  /** Counts each create's answer and remembers which orders the server acknowledged. */
  private final class CreateHandler implements NioHttpClient.Handler {
    @Override
    public void onResponse(
        NioHttpClient.Exchange exchange, HttpResponseParser response, long latencyNanos) {
      int status = response.status();
      if (status == 201 || status == 200) {
        (status == 201 ? created : repeated).increment();
        acknowledged[exchange.index] = true;
      } else {
        String kind = "http_" + status;
        createErrors.count(kind);
        refused.increment();
        if (status >= 500) {
          serverErrors.increment();
        }
        sampleBodies.putIfAbsent("create " + kind, abbreviate(response.bodyText()));
      }
      createsEnded.increment();
    }

    @Override
    public void onFailure(NioHttpClient.Exchange exchange, String kind) {
      unanswered.increment();
      createsEnded.increment();
    }
  }

  // ---- wait and verify -------------------------------------------------------------------

  private void awaitCompletion() throws IOException {
    int expected = count(acknowledged);
    long waitStart = System.nanoTime();
    long deadline = waitStart + options.timeout().toNanos();
    out.printf(
        Locale.ROOT,
        "load: waiting up to %s for %d orders to complete%n",
        format(options.timeout()),
        expected);
    Map<String, Object> lastMetrics = watchMetrics(expected, deadline);
    if (lastMetrics != null) {
      summary.put("server_average_processing_time", lastMetrics.get("average_processing_time"));
    }
    int[] pending = indices(acknowledged);
    int round = 0;
    while (true) {
      round++;
      pending = verify(pending, round);
      if (pending.length == 0 || System.nanoTime() - deadline >= 0) {
        break;
      }
      pause(Math.min(options.pollInterval().toNanos(), deadline - System.nanoTime()));
    }
    long waited = System.nanoTime() - waitStart;
    summary.put("wait_seconds", seconds(waited));
    summary.put("verify_rounds", round);
    summarizeOutcomes(expected);
  }

  /**
   * Polls {@code GET /metrics} until the orders finished since the run began cover the expected
   * ones, or the deadline passes. Returns the last metrics, or null when the server has none: the
   * per-order rounds then do all the waiting.
   */
  private Map<String, Object> watchMetrics(int expected, long deadline) {
    if (baseline == null) {
      return null;
    }
    long before = finishedCount(baseline);
    AtomicLong finished = new AtomicLong();
    Map<String, Object> last = baseline;
    long waitStart = System.nanoTime();
    boolean slownessChecked = false;
    try (Progress progress =
        Progress.start(
            out,
            "complete",
            expected,
            () -> Math.min(expected, Math.max(0, finished.get())),
            () -> 0,
            terminal)) {
      while (true) {
        Response response = fetch("/metrics");
        Map<String, Object> metrics =
            response.status() == 200 ? parseOrNull(response.body()) : null;
        if (metrics == null) {
          return null;
        }
        last = metrics;
        // Orders of other clients finishing meanwhile can make this overshoot: the per-order
        // check that follows is the judge, this only avoids polling 100,000 orders in a loop.
        finished.set(finishedCount(metrics) - before);
        // Nothing Pending or Processing means nothing more will finish: an order still missing
        // is lost, and waiting for the timeout would only delay saying so.
        if (finished.get() >= expected
            || activeCount(metrics) == 0
            || System.nanoTime() - deadline >= 0) {
          return last;
        }
        if (!slownessChecked
            && System.nanoTime() - waitStart >= SLOW_COMPLETION_CHECK_AFTER.toNanos()) {
          slownessChecked = true;
          String warning =
              slowCompletionWarning(
                  Math.max(0, finished.get()),
                  System.nanoTime() - createStartNanos,
                  createThroughput,
                  deadline - System.nanoTime());
          if (warning != null) {
            out.println(warning);
          }
        }
        pause(Math.min(options.pollInterval().toNanos(), deadline - System.nanoTime()));
      }
    }
  }

  /**
   * The one line saying that orders complete far slower than they were created, as against a server
   * left at its default processing delay; or null when they keep up.
   *
   * @param finished orders finished since the run began
   * @param sinceCreateStartNanos time since the first create was sent
   * @param createdPerSecond the create throughput
   * @param leftNanos time left before the timeout
   */
  static String slowCompletionWarning(
      long finished, long sinceCreateStartNanos, double createdPerSecond, long leftNanos) {
    double completedPerSecond = finished / Math.max(1e-9, sinceCreateStartNanos / 1e9);
    if (completedPerSecond * SLOW_COMPLETION_FACTOR >= createdPerSecond) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "load: orders complete at %.1f/s but were created at %.0f/s; for a throughput run, start"
            + " the server with --processing-delay 0 (by default it spends 2 s on each order)."
            + " Waiting up to %s more.",
        completedPerSecond,
        createdPerSecond,
        format(Duration.ofSeconds(Math.max(0, leftNanos) / 1_000_000_000L)));
  }

  /** Fetches each pending order once; returns those still to be looked at again. */
  private int[] verify(int[] pending, int round) throws IOException {
    NioHttpClient client =
        client(Math.min(options.concurrency(), pending.length), false, verifyErrors);
    AtomicInteger next = new AtomicInteger();
    LongAdder checked = new LongAdder();
    NioHttpClient.Source source =
        new NioHttpClient.Source() {
          @Override
          public NioHttpClient.Exchange poll(long nowNanos) {
            int position = next.getAndIncrement();
            if (position >= pending.length) {
              next.set(pending.length);
              return null;
            }
            int index = pending[position];
            String path = options.basePath() + "/orders/" + orderId(options.idPrefix(), index);
            return new NioHttpClient.Exchange(
                NioHttpClient.request("GET", options.hostHeader(), path, null), index, nowNanos);
          }

          @Override
          public long nextDueNanos() {
            return System.nanoTime();
          }

          @Override
          public boolean exhausted() {
            return next.get() >= pending.length;
          }
        };
    try (Progress progress =
        Progress.start(
            out, "verify " + round, pending.length, checked::sum, verifyErrors::total, terminal)) {
      client.run(source, new VerifyHandler(checked));
    }
    List<Integer> again = new ArrayList<>();
    for (int index : pending) {
      Outcome outcome = Outcome.values()[outcomes[index]];
      if (outcome == Outcome.NOT_FINISHED || outcome == Outcome.UNREADABLE) {
        again.add(index);
      }
    }
    return again.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Reads one order and records how it ended up. */
  private final class VerifyHandler implements NioHttpClient.Handler {
    private final LongAdder checked;

    VerifyHandler(LongAdder checked) {
      this.checked = checked;
    }

    @Override
    public void onResponse(
        NioHttpClient.Exchange exchange, HttpResponseParser response, long latencyNanos) {
      checked.increment();
      int index = exchange.index;
      int status = response.status();
      if (status == 404) {
        outcomes[index] = (byte) Outcome.MISSING.ordinal();
        return;
      }
      if (status != 200) {
        verifyErrors.count("http_" + status);
        if (status >= 500) {
          serverErrors.increment();
        }
        sampleBodies.putIfAbsent("read http_" + status, abbreviate(response.bodyText()));
        outcomes[index] = (byte) Outcome.UNREADABLE.ordinal();
        return;
      }
      Map<String, Object> order = parseOrNull(response.bodyText());
      if (order == null) {
        verifyErrors.count("bad_json");
        outcomes[index] = (byte) Outcome.UNREADABLE.ordinal();
        return;
      }
      String orderStatus = String.valueOf(order.get("status"));
      Outcome outcome =
          switch (orderStatus) {
            case "Completed" -> Outcome.COMPLETED;
            case "Failed" -> Outcome.FAILED;
            case "Cancelled" -> Outcome.CANCELLED;
            default -> Outcome.NOT_FINISHED;
          };
      outcomes[index] = (byte) outcome.ordinal();
      if (order.get("attempts") instanceof BigDecimal count) {
        attempts[index] = count.intValue();
      }
      if (outcome == Outcome.COMPLETED) {
        long createdAt = micros(order.get("created_at"));
        long completedAt = micros(order.get("completed_at"));
        if (createdAt != Long.MIN_VALUE) {
          firstCreatedMicros.accumulateAndGet(createdAt, Math::min);
        }
        if (completedAt != Long.MIN_VALUE) {
          lastCompletedMicros.accumulateAndGet(completedAt, Math::max);
        }
        Object node = order.get("processed_by");
        processedBy
            .computeIfAbsent(node == null ? "(none)" : node.toString(), k -> new LongAdder())
            .increment();
      }
    }

    @Override
    public void onFailure(NioHttpClient.Exchange exchange, String kind) {
      checked.increment();
      outcomes[exchange.index] = (byte) Outcome.UNREADABLE.ordinal();
    }
  }

  private void summarizeOutcomes(int expected) {
    Map<Outcome, List<String>> samples = new LinkedHashMap<>();
    Map<Outcome, Integer> counts = new LinkedHashMap<>();
    int reruns = 0;
    int maxAttempts = 0;
    List<String> rerunSample = new ArrayList<>();
    for (int i = 0; i < acknowledged.length; i++) {
      if (!acknowledged[i]) {
        continue;
      }
      Outcome outcome = Outcome.values()[outcomes[i]];
      counts.merge(outcome, 1, Integer::sum);
      List<String> sample = samples.computeIfAbsent(outcome, k -> new ArrayList<>());
      if (sample.size() < SAMPLE_IDS) {
        sample.add(orderId(options.idPrefix(), i));
      }
      if (outcome == Outcome.COMPLETED) {
        maxAttempts = Math.max(maxAttempts, attempts[i]);
        if (attempts[i] > 1) {
          reruns++;
          if (rerunSample.size() < SAMPLE_IDS) {
            rerunSample.add(orderId(options.idPrefix(), i) + " (" + attempts[i] + " attempts)");
          }
        }
      }
    }
    int completed = counts.getOrDefault(Outcome.COMPLETED, 0);
    summary.put("completed", completed);
    summary.put("completed_once", completed - reruns);
    summary.put("reruns", reruns);
    summary.put("max_attempts", maxAttempts);
    summary.put("failed", counts.getOrDefault(Outcome.FAILED, 0));
    summary.put("cancelled", counts.getOrDefault(Outcome.CANCELLED, 0));
    summary.put("missing", counts.getOrDefault(Outcome.MISSING, 0));
    summary.put("not_completed_in_time", counts.getOrDefault(Outcome.NOT_FINISHED, 0));
    summary.put("unreadable", counts.getOrDefault(Outcome.UNREADABLE, 0));
    summary.put("verify_errors", verifyErrors.snapshot());
    Map<String, Long> nodes = new TreeMap<>();
    processedBy.forEach((node, count) -> nodes.put(node, count.sum()));
    summary.put("processed_by", nodes);
    putEndToEnd(completed);

    expectNone(samples, counts, Outcome.MISSING, "acknowledged orders are missing (404)");
    expectNone(samples, counts, Outcome.FAILED, "orders Failed");
    expectNone(samples, counts, Outcome.CANCELLED, "orders were Cancelled");
    expectNone(
        samples,
        counts,
        Outcome.NOT_FINISHED,
        "orders did not complete within " + format(options.timeout()));
    expectNone(samples, counts, Outcome.UNREADABLE, "orders could not be read back");
    if (reruns > 0 && !options.allowReruns()) {
      failures.add(
          reruns
              + " orders were processed more than once (attempts > 1; pass --allow-reruns when"
              + " the server injects failures), e.g. "
              + String.join(", ", rerunSample));
    }
    if (counts.values().stream().mapToInt(Integer::intValue).sum() != expected) {
      failures.add("internal: checked orders do not add up to " + expected);
    }
  }

  private void putEndToEnd(int completed) {
    long last = lastCompletedMicros.get();
    if (completed == 0 || last == Long.MIN_VALUE) {
      return;
    }
    long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, createStart);
    String basis = "first create sent (client clock) to last completed_at (server clock)";
    if (last <= startMicros && firstCreatedMicros.get() != Long.MAX_VALUE) {
      // The server's clock is behind this machine's: measure on the server's clock alone.
      startMicros = firstCreatedMicros.get();
      basis = "first created_at to last completed_at (server clock)";
    }
    double seconds = Math.max(1e-6, (last - startMicros) / 1e6);
    summary.put("e2e_seconds", round3(seconds));
    summary.put("e2e_throughput_per_s", round1(completed / seconds));
    summary.put("e2e_basis", basis);
  }

  private void expectNone(
      Map<Outcome, List<String>> samples,
      Map<Outcome, Integer> counts,
      Outcome outcome,
      String what) {
    int count = counts.getOrDefault(outcome, 0);
    if (count > 0) {
      failures.add(count + " " + what + ", e.g. " + String.join(", ", samples.get(outcome)));
    }
  }

  // ---- the end ---------------------------------------------------------------------------

  private boolean finish() {
    long fivexx = serverErrors.sum();
    if (fivexx > 0) {
      failures.add(
          "the server answered 5xx "
              + fivexx
              + " times (503s that were retried and then accepted are not counted)");
    }
    for (Map.Entry<String, String> body : new TreeMap<>(sampleBodies).entrySet()) {
      summary.put("sample_body." + body.getKey().replace(' ', '_'), body.getValue());
    }
    summary.put("failures", List.copyOf(failures));
    summary.put("result", failures.isEmpty() ? "PASS" : "FAIL");
    return failures.isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** A response to one control request; status 0 means none came, and body says why. */
  record Response(int status, String body) {}

  private Response fetch(String path) {
    ErrorCounts errors = new ErrorCounts();
    NioHttpClient client =
        new NioHttpClient(address, 1, 1, CONTROL_TIMEOUT, options.maxAttempts(), true, errors);
    byte[] request =
        NioHttpClient.request("GET", options.hostHeader(), options.basePath() + path, null);
    AtomicBoolean taken = new AtomicBoolean();
    Response[] result = {new Response(0, "no answer")};
    try {
      client.run(
          new NioHttpClient.Source() {
            @Override
            public NioHttpClient.Exchange poll(long nowNanos) {
              return taken.compareAndSet(false, true)
                  ? new NioHttpClient.Exchange(request, 0, nowNanos)
                  : null;
            }

            @Override
            public long nextDueNanos() {
              return System.nanoTime();
            }

            @Override
            public boolean exhausted() {
              return taken.get();
            }
          },
          new NioHttpClient.Handler() {
            @Override
            public void onResponse(
                NioHttpClient.Exchange exchange, HttpResponseParser response, long latency) {
              result[0] = new Response(response.status(), response.bodyText());
            }

            @Override
            public void onFailure(NioHttpClient.Exchange exchange, String kind) {
              result[0] = new Response(0, kind + " after " + exchange.attempts + " attempts");
            }
          });
    } catch (IOException e) {
      return new Response(0, String.valueOf(e.getMessage()));
    }
    return result[0];
  }

  private NioHttpClient client(int connections, boolean retryOn503, ErrorCounts errors) {
    return new NioHttpClient(
        address,
        Math.max(1, connections),
        options.ioThreads(),
        options.requestTimeout(),
        options.maxAttempts(),
        retryOn503,
        errors);
  }

  private void putLatency(String prefix, LatencyHistogram latencies) {
    summary.put(prefix + "_p50_ms", millis(latencies.percentile(50)));
    summary.put(prefix + "_p90_ms", millis(latencies.percentile(90)));
    summary.put(prefix + "_p99_ms", millis(latencies.percentile(99)));
    summary.put(prefix + "_p999_ms", millis(latencies.percentile(99.9)));
    summary.put(prefix + "_max_ms", millis(latencies.max()));
    summary.put(prefix + "_mean_ms", millis(Math.round(latencies.mean())));
    summary.put(
        prefix + "_from",
        options.rate() > 0 ? "scheduled send time (includes queueing behind the rate)" : "send");
  }

  /** The CPU time of the whole process so far, or 0 when the JVM does not say. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private static long finishedCount(Map<String, Object> metrics) {
    return sumOf(metrics, List.of("Completed", "Failed", "Cancelled"), 0);
  }

  /** Orders Pending or Processing on the server; -1 when the metrics do not say. */
  private static long activeCount(Map<String, Object> metrics) {
    return sumOf(metrics, List.of("Pending", "Processing"), -1);
  }

  private static long sumOf(Map<String, Object> metrics, List<String> statuses, long unknown) {
    if (!(metrics.get("status_counts") instanceof Map<?, ?> counts)) {
      return unknown;
    }
    long sum = 0;
    for (String status : statuses) {
      if (!(counts.get(status) instanceof BigDecimal value)) {
        return unknown;
      }
      sum += value.longValue();
    }
    return sum;
  }

  private static Map<String, Object> parseOrNull(String body) {
    try {
      return Json.parseObject(body);
    } catch (Json.JsonException e) {
      return null;
    }
  }

  private static long micros(Object value) {
    if (!(value instanceof String text)) {
      return Long.MIN_VALUE;
    }
    try {
      return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  private static String describeErrors(ErrorCounts errors) {
    Map<String, Long> snapshot = errors.snapshot();
    if (snapshot.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder(" (errors: ");
    snapshot.forEach((kind, count) -> text.append(kind).append('=').append(count).append(' '));
    text.setLength(text.length() - 1);
    return text.append(')').toString();
  }

  private static int count(boolean[] flags) {
    int count = 0;
    for (boolean flag : flags) {
      if (flag) {
        count++;
      }
    }
    return count;
  }

  private static int[] indices(boolean[] flags) {
    int[] indices = new int[count(flags)];
    int next = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i]) {
        indices[next++] = i;
      }
    }
    return indices;
  }

  private static void pause(long nanos) {
    long deadline = System.nanoTime() + Math.max(0, nanos);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private static String abbreviate(String text) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= SAMPLE_BODY_CHARS ? line : line.substring(0, SAMPLE_BODY_CHARS) + "...";
  }

  static String format(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  private static double seconds(long nanos) {
    return round3(nanos / 1e9);
  }

  private static double millis(long nanos) {
    return round3(nanos / 1e6);
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
