package dev.orderly.server.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load tool's settings, read from its command line by {@link #parse}. Immutable and
 * thread-safe.
 *
 * @param host the server's host
 * @param port the server's port
 * @param basePath the path before {@code /orders}, empty or starting with a slash
 * @param orders how many orders to create
 * @param concurrency how many keep-alive connections send at once
 * @param rate target creates per second, or 0 for as fast as the connections go
 * @param timeout how long to wait, after the creates, for every order to complete
 * @param waitForCompletion false for {@code --no-wait}: only create
 * @param idPrefix the start of every order id of this run, so runs never collide
 * @param jsonFile where to write the summary as JSON, or null
 * @param ioThreads the client's I/O threads
 * @param requestTimeout how long one request may take before it counts as timed out
 * @param maxAttempts how many times one request is tried on transport errors and 503s
 * @param pollInterval how often the wait phase asks the server for progress
 * @param allowReruns true when orders may be processed more than once (failures injected)
 * @param selfTest true to measure the client against a trivial in-process server instead
 * @param help true for {@code --help}
 */
public record LoadOptions(
    String host,
    int port,
    String basePath,
    int orders,
    int concurrency,
    double rate,
    Duration timeout,
    boolean waitForCompletion,
    String idPrefix,
    Path jsonFile,
    int ioThreads,
    Duration requestTimeout,
    int maxAttempts,
    Duration pollInterval,
    boolean allowReruns,
    boolean selfTest,
    boolean help) {

  public static final String DEFAULT_URL = "http://127.0.0.1:8080";
  public static final int DEFAULT_ORDERS = 10_000;
  public static final int DEFAULT_CONCURRENCY = 64;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /**
   * One I/O thread: on two cores shared with the server it drove a trivial endpoint faster than two
   * did, and it is far above what the server sustains (see docs/performance.md).
   */
  public static final int DEFAULT_IO_THREADS = 1;

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  static final int MAX_ORDERS = 100_000_000;

  /** Each connection is a file descriptor on both sides; more than this needs ulimit care. */
  static final int MAX_CONCURRENCY = 20_000;

  static final int MAX_IO_THREADS = 64;
  static final int MAX_ATTEMPTS = 100;
  static final int MAX_ID_PREFIX_LENGTH = 100;
  private static final Pattern ID_PREFIX = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  /** The usage text printed by {@code --help}. */
  public static String usage() {
    return """
        Usage: load [options]
        Creates orders through Orderly's HTTP API, reports create throughput and latency, then
        waits until every order is Completed and checks each one completed exactly once.
        For throughput runs, start the server with --processing-delay 0: by default it spends
        2 s on each order, so the wait lasts about orders x 2 s / workers.

          --url URL               the server (default http://127.0.0.1:8080)
          --orders N              orders to create (default 10000)
          --concurrency N         keep-alive connections sending at once (default 64)
          --rate N                target creates per second (default: as fast as possible);
                                  latency then counts from each create's scheduled time
          --timeout DURATION      how long to wait for completion (default 5m); 500ms, 30s, 5m, 1h
          --no-wait               only create; do not wait for or check completion
          --id-prefix TEXT        start of every order id (default: a random run id)
          --json FILE             also write the summary as JSON to FILE
          --allow-reruns          orders processed more than once (attempts > 1) do not fail
                                  the run (use when the server injects failures)
          --io-threads N          the client's I/O threads (default 1)
          --request-timeout D     one request's timeout (default 30s)
          --max-attempts N        tries per request on transport errors and 503 (default 5)
          --poll-interval D       how often to poll progress while waiting (default 500ms)
          --self-test             measure this client's own ceiling against a trivial
                                  in-process HTTP server (ignores --url)
          --help                  this text

        Exit status: 0 when every check passed, 1 when one failed, 2 for a bad option.
        """;
  }

  /**
   * Reads the options; each takes its value as {@code --orders 10} or {@code --orders=10}.
   *
   * @throws LoadOptionException naming the first unknown option, missing value or bad value
   */
  public static LoadOptions parse(List<String> args) {
    URI url = parseUrl(DEFAULT_URL);
    int orders = DEFAULT_ORDERS;
    int concurrency = DEFAULT_CONCURRENCY;
    double rate = 0;
    Duration timeout = DEFAULT_TIMEOUT;
    boolean wait = true;
    String idPrefix = null;
    Path json = null;
    int ioThreads = DEFAULT_IO_THREADS;
    Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    Duration pollInterval = DEFAULT_POLL_INTERVAL;
    boolean allowReruns = false;
    boolean selfTest = false;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String inline = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        inline = arg.substring(equals + 1);
      }
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--no-wait" -> wait = flag(name, inline, false);
        case "--allow-reruns" -> allowReruns = flag(name, inline, true);
        case "--self-test" -> selfTest = flag(name, inline, true);
        default -> {
          String value;
          if (inline != null) {
            value = inline;
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw new LoadOptionException(
                name, isKnown(name) ? name + " needs a value" : "unknown option " + name);
          }
          switch (name) {
            case "--url" -> url = parseUrl(value);
            case "--orders" -> orders = parseInt(name, value, 1, MAX_ORDERS);
            case "--concurrency" -> concurrency = parseInt(name, value, 1, MAX_CONCURRENCY);
            case "--rate" -> rate = parseRate(value);
            case "--timeout" -> timeout = parseDuration(name, value);
            case "--id-prefix" -> idPrefix = parseIdPrefix(value);
            case "--json" -> json = parsePath(name, value);
            case "--io-threads" -> ioThreads = parseInt(name, value, 1, MAX_IO_THREADS);
            case "--request-timeout" -> requestTimeout = parseDuration(name, value);
            case "--max-attempts" -> maxAttempts = parseInt(name, value, 1, MAX_ATTEMPTS);
            case "--poll-interval" -> pollInterval = parseDuration(name, value);
            default -> throw new LoadOptionException(name, "unknown option " + name);
          }
        }
      }
    }
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // An IPv6 literal: the brackets are URL syntax.
    }
    int port = url.getPort() < 0 ? 80 : url.getPort();
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new LoadOptions(
        host,
        port,
        path,
        orders,
        concurrency,
        rate,
        timeout,
        wait,
        idPrefix == null ? randomRunId() : idPrefix,
        json,
        ioThreads,
        requestTimeout,
        maxAttempts,
        pollInterval,
        allowReruns,
        selfTest,
        help);
  }

  /** The URL as given, normalised: {@code http://host:port/base}. */
  public String url() {
    return "http://" + hostHeader() + basePath;
  }

  /** The value of the {@code Host} header. */
  String hostHeader() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static boolean isKnown(String name) {
    return List.of(
            "--url",
            "--orders",
            "--concurrency",
            "--rate",
            "--timeout",
            "--id-prefix",
            "--json",
            "--io-threads",
            "--request-timeout",
            "--max-attempts",
            "--poll-interval")
        .contains(name);
  }

  private static boolean flag(String name, String inline, boolean set) {
    if (inline != null) {
      throw new LoadOptionException(name, name + " takes no value, was '" + inline + "'");
    }
    return set;
  }

  private static URI parseUrl(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new LoadOptionException("--url", "--url must be an http:// URL, was '" + value + "'");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new LoadOptionException(
          "--url", "--url must be an http:// URL (https is not supported), was '" + value + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new LoadOptionException("--url", "--url needs a host, was '" + value + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new LoadOptionException(
          "--url", "--url must have no user, query or fragment, was '" + value + "'");
    }
    return uri;
  }

  private static int parseInt(String name, String value, int min, int max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new LoadOptionException(name, name + " must be a whole number, was '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new LoadOptionException(
          name, name + " must be from " + min + " to " + max + ", was " + value.trim());
    }
    return (int) parsed;
  }

  private static double parseRate(String value) {
    double rate;
    try {
      rate = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new LoadOptionException("--rate", "--rate must be a number, was '" + value + "'");
    }
    if (!(rate > 0 && rate <= 10_000_000)) {
      throw new LoadOptionException(
          "--rate", "--rate must be more than 0 and at most 10000000, was " + value.trim());
    }
    return rate;
  }

  static Duration parseDuration(String name, String value) {
    String text = value.trim();
    Duration duration;
    Matcher matcher = DURATION.matcher(text);
    if (matcher.matches()) {
      double amount = Double.parseDouble(matcher.group(1));
      String unit = matcher.group(2) == null ? "s" : matcher.group(2).toLowerCase(Locale.ROOT);
      double millis =
          switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1_000;
          };
      if (millis > Duration.ofDays(7).toMillis()) {
        throw new LoadOptionException(name, name + " must be at most 7 days, was " + text);
      }
      duration = Duration.ofMillis(Math.round(millis));
    } else {
      try {
        duration = Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new LoadOptionException(
            name, name + " must be a duration such as 500ms, 30s, 5m or 1h, was '" + value + "'");
      }
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new LoadOptionException(name, name + " must be more than 0, was " + text);
    }
    return duration;
  }

  private static String parseIdPrefix(String value) {
    if (value.isEmpty()
        || value.length() > MAX_ID_PREFIX_LENGTH
        || !ID_PREFIX.matcher(value).matches()) {
      throw new LoadOptionException(
          "--id-prefix",
          "--id-prefix must be 1 to "
              + MAX_ID_PREFIX_LENGTH
              + " letters, digits, '.', '_' or '-', was '"
              + value
              + "'");
    }
    return value;
  }

  private static Path parsePath(String name, String value) {
    if (value.isBlank()) {
      throw new LoadOptionException(name, name + " needs a file name");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new LoadOptionException(name, name + " is not a valid path: '" + value + "'");
    }
  }

  /** {@code load-}, eight random base-36 characters and a dash: runs never share an order id. */
  static String randomRunId() {
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder("load-");
    for (int i = 0; i < 8; i++) {
      id.append(Character.forDigit(random.nextInt(36), 36));
    }
    return id.append('-').toString();
  }
}
