package dev.orderly.server;

import dev.orderly.core.OrderEngine;
import dev.orderly.persistence.PostgresOrderStore;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's effective configuration: where it listens, which store it uses, and how the demo
 * processor behaves. Immutable and thread-safe.
 *
 * <p>{@link #parse(List, Map)} reads it from command-line flags and {@code ORDERLY_*} environment
 * variables; a flag wins over its variable, and both win over the default. Each flag takes its
 * value as {@code --port 8081} or {@code --port=8081}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.parse(List.of("--in-memory", "--port", "0"), System.getenv());
 * try (OrderlyServer server = OrderlyServer.start(config)) {
 *   HttpRequest.newBuilder(server.uri().resolve("/health/ready"));
 * }
 * }</pre>
 *
 * @param host the address to listen on: {@code 127.0.0.1} (the default) for this machine only,
 *     {@code 0.0.0.0} for every IPv4 interface
 * @param port the HTTP port; 0 picks a free one
 * @param workers how many orders the engine processes at once
 * @param httpThreads the size of Grizzly's worker pool, which runs the HTTP requests
 * @param store which kind of store holds the orders
 * @param dataDir the embedded PostgreSQL's folder; used only with {@link Store#EMBEDDED}
 * @param dbUrl the external PostgreSQL's JDBC URL; only with {@link Store#EXTERNAL}
 * @param dbUser the external PostgreSQL's user, or null for the URL's or driver's default
 * @param dbPassword the external PostgreSQL's password, or null; never logged
 * @param dbPoolSize the connections in the store's pool (PostgreSQL stores only)
 * @param processingDelay how long the demo processor works on each order
 * @param failureRate the share of attempts, 0 to 1, that the demo processor fails
 * @param nodeId the engine's node id, or null for the engine's default
 * @param shutdownTimeout how long shutdown waits for running orders before releasing them
 * @param apiToken the bearer token every request but the health checks must carry, or null for
 *     none; never logged
 * @param corsOrigins the browser origins allowed to call the API (CORS); empty for none
 * @param lease how long a claim holds an order before another node may take it over
 * @param dbTimeout how long a request waits for a database connection before it is answered 503
 */
public record ServerConfig(
    String host,
    int port,
    int workers,
    int httpThreads,
    Store store,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    Duration processingDelay,
    double failureRate,
    String nodeId,
    Duration shutdownTimeout,
    String apiToken,
    List<String> corsOrigins,
    Duration lease,
    Duration dbTimeout) {

  /** Where the orders live. */
  public enum Store {
    /** {@code InMemoryOrderStore}: fast, and everything is lost when the process ends. */
    IN_MEMORY,
    /** An embedded PostgreSQL in {@link #dataDir()}, started and stopped with the server. */
    EMBEDDED,
    /** A PostgreSQL server of your own at {@link #dbUrl()}. */
    EXTERNAL
  }

  /**
   * This machine only, as PostgreSQL and Redis do: listening beyond it is a choice to make on
   * purpose ({@code --host 0.0.0.0}), with {@code --api-token}.
   */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_WORKERS = OrderEngine.DEFAULT_WORKERS;

  /**
   * Grizzly's worker pool: small, because no request holds a thread while the database commits (a
   * create is suspended until its group commit answers). On 2 cores, 32 workers halved a trivial
   * endpoint's throughput against 4. With creates that held their thread, 4 workers meant at most 4
   * orders per commit: 258 creates/s against PostgreSQL, 860/s once creates were asynchronous.
   */
  public static final int DEFAULT_HTTP_THREADS =
      Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  public static final Path DEFAULT_DATA_DIR = Path.of("orderly-data");
  public static final int DEFAULT_DB_POOL_SIZE = PostgresOrderStore.DEFAULT_POOL_SIZE;

  /** Long enough for a person to watch an order go Pending, Processing, Completed. */
  public static final Duration DEFAULT_PROCESSING_DELAY = Duration.ofSeconds(2);

  public static final double DEFAULT_FAILURE_RATE = 0.0;

  /**
   * Shorter than the 10 s that Docker and Kubernetes allow between SIGTERM and SIGKILL, so that
   * unfinished orders are released before the process is killed.
   */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  static final int MAX_WORKERS = 1_024;
  static final int MAX_HTTP_THREADS = 1_024;
  static final int MIN_DB_POOL_SIZE = 2;
  static final int MAX_DB_POOL_SIZE = 1_000;
  static final Duration MAX_PROCESSING_DELAY = Duration.ofHours(1);
  static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofMinutes(10);
  static final int MAX_NODE_ID_LENGTH = 128;

  /**
   * The same as the engine's: a dead node's orders are taken over this long after its last renewal.
   */
  public static final Duration DEFAULT_LEASE = OrderEngine.DEFAULT_LEASE_DURATION;

  static final Duration MIN_LEASE = Duration.ofSeconds(1);

  /**
   * How long a request waits for a database connection before it is answered 503. Short, because
   * while the database is down every create waits this long, and creates queue behind each other in
   * the group commit: at 5 s (the store's default) requests took up to 15 s during an outage.
   */
  public static final Duration DEFAULT_DB_TIMEOUT = Duration.ofSeconds(2);

  static final Duration MIN_DB_TIMEOUT = Duration.ofMillis(250);
  static final Duration MAX_DB_TIMEOUT = Duration.ofMinutes(1);
  static final Duration MAX_LEASE = Duration.ofHours(1);

  /** A token shorter than this is too easy to guess. */
  static final int MIN_API_TOKEN_LENGTH = 16;

  /** RFC 6750's b64token: the characters a bearer token may hold. */
  private static final Pattern API_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  /** A browser origin: scheme, host and optional port, nothing else. */
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+");

  private static final String MASK = "****";
  private static final String JDBC_POSTGRESQL = "jdbc:postgresql:";
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)(password=)[^&;]*|(//[^/@:]*:)[^/@]*(@)");

  /** Checks the invariants; {@link #parse} gives friendlier, option-naming messages first. */
  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(processingDelay, "processingDelay");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(dbTimeout, "dbTimeout");
    corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins"));
    if (store == Store.EXTERNAL && dbUrl == null) {
      throw new IllegalArgumentException("an external store needs dbUrl");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be from 0 to 1, was " + failureRate);
    }
  }

  /** The configuration with nothing set: the embedded store in {@code ./orderly-data}. */
  public static ServerConfig defaults() {
    return parse(List.of(), Map.of());
  }

  /**
   * Reads the configuration from command-line flags and environment variables.
   *
   * @param args the command line, without {@code --help} or {@code --version}
   * @param env the environment, usually {@link System#getenv()}
   * @throws InvalidOptionException with one line naming the first unknown option, missing value or
   *     bad value
   */
  public static ServerConfig parse(List<String> args, Map<String, String> env) {
    return new Parser(args, env).parse();
  }

  /** As {@link #parse(List, Map)}. */
  public static ServerConfig parse(String[] args, Map<String, String> env) {
    return parse(Arrays.asList(args), env);
  }

  /** Which store, and where: the JDBC URL has any password in it masked. */
  public String storeDescription() {
    return switch (store) {
      case IN_MEMORY -> "in memory (nothing is kept when the server stops)";
      case EMBEDDED -> "embedded PostgreSQL in " + dataDir.toAbsolutePath().normalize();
      case EXTERNAL -> "PostgreSQL at " + maskUrl(dbUrl);
    };
  }

  /** Every setting on one line, with the password (and any password in the URL) masked. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder();
    line.append("host=").append(host);
    line.append(", port=").append(port);
    line.append(", workers=").append(workers);
    line.append(", http-threads=").append(httpThreads);
    line.append(", store=").append(store.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    switch (store) {
      case EMBEDDED -> line.append(", data-dir=").append(dataDir.toAbsolutePath().normalize());
      case EXTERNAL -> {
        line.append(", db-url=").append(maskUrl(dbUrl));
        line.append(", db-user=").append(dbUser == null ? "(default)" : dbUser);
        line.append(", db-password=").append(dbPassword == null ? "(none)" : MASK);
      }
      case IN_MEMORY -> {
        // Nothing to add: there is no database.
      }
    }
    if (store != Store.IN_MEMORY) {
      line.append(", db-pool-size=").append(dbPoolSize);
      line.append(", db-timeout=").append(formatDuration(dbTimeout));
    }
    line.append(", processing-delay=").append(formatDuration(processingDelay));
    line.append(", failure-rate=").append(failureRate);
    line.append(", node-id=").append(nodeId == null ? "(generated)" : nodeId);
    line.append(", shutdown-timeout=").append(formatDuration(shutdownTimeout));
    line.append(", lease=").append(formatDuration(lease));
    line.append(", api-token=").append(apiToken == null ? "(none)" : MASK);
    line.append(", cors-origins=")
        .append(corsOrigins.isEmpty() ? "(none)" : String.join(",", corsOrigins));
    return line.toString();
  }

  /** The help text that {@code --help} prints. */
  public static String usage() {
    StringBuilder text = new StringBuilder();
    text.append("Usage: java -jar order-server.jar [options]\n")
        .append("       java -jar order-server.jar load --help   (the load tool)\n\n")
        .append("Runs Orderly's HTTP API and order engine. By default the orders are kept in an\n")
        .append("embedded PostgreSQL in ./orderly-data. Every option can also be set by its\n")
        .append("environment variable; a flag wins over its variable. Write a flag's value as\n")
        .append("--port 8081 or --port=8081. Durations take a unit: 0, 250ms, 2s, 1m.\n\n");
    for (Option option : Option.values()) {
      String flag = option.flag + (option.valueName == null ? "" : " " + option.valueName);
      text.append(String.format(Locale.ROOT, "  %-30s %s%n", flag, option.env));
      text.append("      ").append(option.help).append('\n');
    }
    text.append("  --help\n      print this help and exit\n");
    text.append("  --version\n      print the version and exit\n");
    return text.toString();
  }

  /** Formats a duration the way the options are written: {@code 0}, {@code 250ms}, {@code 2s}. */
  static String formatDuration(Duration duration) {
    if (duration.isZero()) {
      return "0";
    }
    if (duration.toMillisPart() != 0 || duration.toNanosPart() != 0) {
      return duration.toMillis() + "ms";
    }
    return duration.toSeconds() + "s";
  }

  /** The URL with any {@code password=} parameter or {@code user:password@} part masked. */
  static String maskUrl(String url) {
    Matcher matcher = URL_PASSWORD.matcher(url);
    StringBuilder masked = new StringBuilder();
    while (matcher.find()) {
      String replacement =
          matcher.group(1) != null
              ? matcher.group(1) + MASK
              : matcher.group(2) + MASK + matcher.group(3);
      matcher.appendReplacement(masked, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(masked);
    return masked.toString();
  }

  /** The options, in the order that {@code --help} lists them. */
  private enum Option {
    PORT("--port", "ORDERLY_PORT", "<port>", "HTTP port; 0 picks a free one (default 8080)"),
    HOST(
        "--host",
        "ORDERLY_HOST",
        "<address>",
        "address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every"
            + " interface, then set --api-token too)"),
    IN_MEMORY(
        "--in-memory",
        "ORDERLY_IN_MEMORY",
        null,
        "keep orders in memory only: fast, and nothing is kept when the server stops"),
    DATA_DIR(
        "--data-dir",
        "ORDERLY_DATA_DIR",
        "<folder>",
        "the embedded PostgreSQL's folder, created when missing (default ./orderly-data)"),
    DB_URL(
        "--db-url",
        "ORDERLY_DB_URL",
        "<jdbc-url>",
        "use your own PostgreSQL, such as jdbc:postgresql://localhost:5432/orderly"),
    DB_USER("--db-user", "ORDERLY_DB_USER", "<user>", "its user name"),
    DB_PASSWORD(
        "--db-password",
        "ORDERLY_DB_PASSWORD",
        "<password>",
        "its password (prefer the variable: a flag shows in the process list)"),
    DB_POOL_SIZE(
        "--db-pool-size",
        "ORDERLY_DB_POOL_SIZE",
        "<n>",
        "database connections in the pool, at least 2 (default 10)"),
    DB_TIMEOUT(
        "--db-timeout",
        "ORDERLY_DB_TIMEOUT",
        "<duration>",
        "how long a request waits for a database connection before it is answered 503"
            + " (default 2s)"),
    WORKERS(
        "--workers", "ORDERLY_WORKERS", "<n>", "how many orders are processed at once (default 4)"),
    HTTP_THREADS(
        "--http-threads",
        "ORDERLY_HTTP_THREADS",
        "<n>",
        "threads serving HTTP requests (default max(4, 2 x cores) = " + DEFAULT_HTTP_THREADS + ")"),
    PROCESSING_DELAY(
        "--processing-delay",
        "ORDERLY_PROCESSING_DELAY",
        "<duration>",
        "how long the demo processor works on each order, such as 0, 250ms, 2s (default 2s)"),
    FAILURE_RATE(
        "--failure-rate",
        "ORDERLY_FAILURE_RATE",
        "<0..1>",
        "share of attempts the demo processor fails, to show retries, such as 0.2 (default 0)"),
    NODE_ID(
        "--node-id",
        "ORDERLY_NODE_ID",
        "<name>",
        "this engine's name, shown as an order's processed_by (default host-pid-random)"),
    SHUTDOWN_TIMEOUT(
        "--shutdown-timeout",
        "ORDERLY_SHUTDOWN_TIMEOUT",
        "<duration>",
        "on stop, how long to wait for running orders before releasing them (default 5s)"),
    LEASE(
        "--lease",
        "ORDERLY_LEASE",
        "<duration>",
        "how long a claim holds an order before another node may take it over (default 30s)"),
    API_TOKEN(
        "--api-token",
        "ORDERLY_API_TOKEN",
        "<token>",
        "require 'Authorization: Bearer <token>' on every request but the health checks"
            + " (prefer the variable: a flag shows in the process list)"),
    CORS_ORIGINS(
        "--cors-origins",
        "ORDERLY_CORS_ORIGINS",
        "<origins>",
        "comma-separated browser origins allowed to call the API, such as"
            + " https://shop.example.com (default none: CORS off)");

    final String flag;
    final String env;
    final String valueName;
    final String help;

    Option(String flag, String env, String valueName, String help) {
      this.flag = flag;
      this.env = env;
      this.valueName = valueName;
      this.help = help;
    }

    boolean takesValue() {
      return valueName != null;
    }
  }

  /** A raw value and where it came from: a flag or an environment variable. */
  private record Raw(String value, String source) {}

  /** One parse of one command line and environment. Not thread-safe; used once. */
  private static final class Parser {

    private final List<String> args;
    private final Map<String, String> env;
    private final Map<Option, Raw> fromEnv = new EnumMap<>(Option.class);
    private final Map<Option, Raw> fromFlags = new EnumMap<>(Option.class);

    Parser(List<String> args, Map<String, String> env) {
      this.args = List.copyOf(args);
      this.env = Objects.requireNonNull(env, "env");
    }

    ServerConfig parse() {
      readEnvironment();
      readFlags();
      Store store = store();
      return new ServerConfig(
          text(Option.HOST, DEFAULT_HOST),
          integer(Option.PORT, DEFAULT_PORT, 0, 65_535),
          integer(Option.WORKERS, DEFAULT_WORKERS, 1, MAX_WORKERS),
          integer(Option.HTTP_THREADS, DEFAULT_HTTP_THREADS, 1, MAX_HTTP_THREADS),
          store,
          path(Option.DATA_DIR, DEFAULT_DATA_DIR),
          store == Store.EXTERNAL ? dbUrl() : null,
          store == Store.EXTERNAL ? optional(Option.DB_USER) : null,
          store == Store.EXTERNAL ? optional(Option.DB_PASSWORD) : null,
          integer(Option.DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE, MIN_DB_POOL_SIZE, MAX_DB_POOL_SIZE),
          duration(Option.PROCESSING_DELAY, DEFAULT_PROCESSING_DELAY, MAX_PROCESSING_DELAY),
          fraction(Option.FAILURE_RATE, DEFAULT_FAILURE_RATE),
          nodeId(),
          duration(Option.SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, MAX_SHUTDOWN_TIMEOUT),
          apiToken(),
          corsOrigins(),
          lease(),
          dbTimeout());
    }

    private void readEnvironment() {
      for (Option option : Option.values()) {
        String value = env.get(option.env);
        if (value != null && !value.isBlank()) {
          fromEnv.put(option, new Raw(value.strip(), option.env));
        }
      }
    }

    private void readFlags() {
      List<String> rest = new ArrayList<>(args);
      while (!rest.isEmpty()) {
        String arg = rest.remove(0);
        if (!arg.startsWith("--")) {
          throw new InvalidOptionException(
              arg, "unexpected argument '" + arg + "': options start with -- (see --help)");
        }
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        Option option = byFlag(name);
        String value;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (!option.takesValue()) {
          value = "true";
        } else if (rest.isEmpty() || rest.get(0).startsWith("--")) {
          throw new InvalidOptionException(name, name + " needs a value " + option.valueName);
        } else {
          value = rest.remove(0);
        }
        if (value.isBlank()) {
          throw new InvalidOptionException(
              name, name + " needs a value" + (option.takesValue() ? " " + option.valueName : ""));
        }
        // A repeated flag: the last one wins, as in most command-line tools.
        fromFlags.put(option, new Raw(value.strip(), name));
      }
    }

    private static Option byFlag(String name) {
      for (Option option : Option.values()) {
        if (option.flag.equals(name)) {
          return option;
        }
      }
      throw new InvalidOptionException(name, "unknown option " + name + " (see --help)");
    }

    private Raw raw(Option option) {
      Raw flag = fromFlags.get(option);
      return flag != null ? flag : fromEnv.get(option);
    }

    /**
     * In memory, external or embedded. A choice made by flags beats one made by the environment;
     * two contradictory choices at the same level are an error rather than a guess.
     */
    private Store store() {
      boolean flagInMemory = fromFlags.containsKey(Option.IN_MEMORY) && inMemory();
      boolean flagDbUrl = fromFlags.containsKey(Option.DB_URL);
      if (flagInMemory && flagDbUrl) {
        throw new InvalidOptionException(
            "--in-memory", "--in-memory and --db-url cannot be used together");
      }
      if (flagInMemory) {
        return Store.IN_MEMORY;
      }
      if (flagDbUrl) {
        return Store.EXTERNAL;
      }
      boolean envInMemory = inMemory();
      boolean envDbUrl = fromEnv.containsKey(Option.DB_URL);
      if (envInMemory && envDbUrl) {
        throw new InvalidOptionException(
            Option.IN_MEMORY.env,
            Option.IN_MEMORY.env + " and " + Option.DB_URL.env + " cannot be used together");
      }
      if (envInMemory) {
        return Store.IN_MEMORY;
      }
      return envDbUrl ? Store.EXTERNAL : Store.EMBEDDED;
    }

    private boolean inMemory() {
      Raw raw = raw(Option.IN_MEMORY);
      if (raw == null) {
        return false;
      }
      return switch (raw.value().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw invalid(raw, "must be true or false");
      };
    }

    private String dbUrl() {
      Raw raw = raw(Option.DB_URL);
      if (!raw.value().startsWith(JDBC_POSTGRESQL)) {
        throw new InvalidOptionException(
            raw.source(),
            raw.source()
                + " must be a PostgreSQL JDBC URL such as"
                + " jdbc:postgresql://localhost:5432/orderly, was '"
                + maskUrl(raw.value())
                + "'");
      }
      return raw.value();
    }

    private String optional(Option option) {
      Raw raw = raw(option);
      return raw == null ? null : raw.value();
    }

    private String text(Option option, String defaultValue) {
      Raw raw = raw(option);
      if (raw == null) {
        return defaultValue;
      }
      if (raw.value().chars().anyMatch(Character::isWhitespace)) {
        throw invalid(raw, "must not contain spaces");
      }
      return raw.value();
    }

    private String apiToken() {
      Raw raw = raw(Option.API_TOKEN);
      if (raw == null) {
        return null;
      }
      if (raw.value().length() < MIN_API_TOKEN_LENGTH
          || !API_TOKEN.matcher(raw.value()).matches()) {
        throw invalid(
            raw,
            "must be at least "
                + MIN_API_TOKEN_LENGTH
                + " characters of A-Z, a-z, 0-9 and -._~+/ (such as the output of"
                + " 'openssl rand -hex 32')");
      }
      return raw.value();
    }

    private List<String> corsOrigins() {
      Raw raw = raw(Option.CORS_ORIGINS);
      if (raw == null) {
        return List.of();
      }
      List<String> origins = new ArrayList<>();
      for (String part : raw.value().split(",", -1)) {
        String origin = part.strip();
        if (!ORIGIN.matcher(origin).matches()) {
          throw invalid(
              raw,
              "must be a comma-separated list of origins such as"
                  + " https://shop.example.com,http://localhost:3000 (scheme, host, optional port)");
        }
        origins.add(origin);
      }
      return origins;
    }

    private Duration dbTimeout() {
      Duration timeout = duration(Option.DB_TIMEOUT, DEFAULT_DB_TIMEOUT, MAX_DB_TIMEOUT);
      if (timeout.compareTo(MIN_DB_TIMEOUT) < 0) {
        throw invalid(raw(Option.DB_TIMEOUT), "must be at least 250ms");
      }
      return timeout;
    }

    private Duration lease() {
      Duration lease = duration(Option.LEASE, DEFAULT_LEASE, MAX_LEASE);
      if (lease.compareTo(MIN_LEASE) < 0) {
        throw invalid(raw(Option.LEASE), "must be at least 1s");
      }
      return lease;
    }

    private String nodeId() {
      Raw raw = raw(Option.NODE_ID);
      if (raw == null) {
        return null;
      }
      if (raw.value().length() > MAX_NODE_ID_LENGTH) {
        throw invalid(raw, "must be 1 to " + MAX_NODE_ID_LENGTH + " characters");
      }
      return raw.value();
    }

    private int integer(Option option, int defaultValue, int min, int max) {
      Raw raw = raw(option);
      if (raw == null) {
        return defaultValue;
      }
      String range = "must be a whole number from " + min + " to " + max;
      int value;
      try {
        value = Integer.parseInt(raw.value());
      } catch (NumberFormatException e) {
        throw invalid(raw, range);
      }
      if (value < min || value > max) {
        throw invalid(raw, range);
      }
      return value;
    }

    private double fraction(Option option, double defaultValue) {
      Raw raw = raw(option);
      if (raw == null) {
        return defaultValue;
      }
      String rule = "must be a number from 0 to 1 (such as 0.2) or a percentage (such as 20%)";
      String value = raw.value();
      boolean percent = value.endsWith("%");
      BigDecimal number;
      try {
        number = new BigDecimal(percent ? value.substring(0, value.length() - 1).strip() : value);
      } catch (NumberFormatException e) {
        throw invalid(raw, rule);
      }
      if (percent) {
        number = number.movePointLeft(2);
      }
      if (number.signum() < 0 || number.compareTo(BigDecimal.ONE) > 0) {
        throw invalid(raw, rule);
      }
      return number.doubleValue();
    }

    private Duration duration(Option option, Duration defaultValue, Duration max) {
      Raw raw = raw(option);
      if (raw == null) {
        return defaultValue;
      }
      String rule = "must be a duration such as 0, 250ms, 2s or 1m, at most " + formatMax(max);
      Duration value = parseDuration(raw.value());
      if (value == null || value.isNegative() || value.compareTo(max) > 0) {
        throw invalid(raw, rule);
      }
      return value;
    }

    private static String formatMax(Duration max) {
      return max.toMinutes() % 60 == 0 ? max.toHours() + "h" : max.toMinutes() + "m";
    }

    /** {@code 0}, a number with a unit ({@code 250ms}, {@code 1.5s}, {@code 2m}) or ISO-8601. */
    private static Duration parseDuration(String text) {
      if (text.regionMatches(true, 0, "PT", 0, 2)) {
        try {
          return Duration.parse(text);
        } catch (DateTimeParseException e) {
          return null;
        }
      }
      Matcher matcher = DURATION.matcher(text);
      if (!matcher.matches()) {
        return null;
      }
      BigDecimal amount = new BigDecimal(matcher.group(1));
      String unit = matcher.group(2);
      if (unit == null) {
        // A bare number is ambiguous (seconds? milliseconds?) unless it is zero.
        return amount.signum() == 0 ? Duration.ZERO : null;
      }
      long millisPerUnit =
          switch (unit.toLowerCase(Locale.ROOT)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            default -> 3_600_000L;
          };
      BigDecimal millis = amount.multiply(BigDecimal.valueOf(millisPerUnit));
      if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000L)) > 0) {
        return null;
      }
      return Duration.ofNanos(millis.movePointRight(6).longValue());
    }

    private Path path(Option option, Path defaultValue) {
      Raw raw = raw(option);
      if (raw == null) {
        return defaultValue;
      }
      try {
        return Path.of(raw.value());
      } catch (InvalidPathException e) {
        throw invalid(raw, "must be a folder path");
      }
    }

    private static InvalidOptionException invalid(Raw raw, String rule) {
      // Never echo a password back, even a malformed one.
      String shown =
          raw.source().equals(Option.DB_PASSWORD.flag)
                  || raw.source().equals(Option.DB_PASSWORD.env)
                  || raw.source().equals(Option.API_TOKEN.flag)
                  || raw.source().equals(Option.API_TOKEN.env)
              ? MASK
              : raw.value();
      return new InvalidOptionException(
          raw.source(), raw.source() + " " + rule + ", was '" + shown + "'");
    }
  }
}
