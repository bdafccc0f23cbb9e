package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.testing.Await;
import dev.orderly.persistence.EmbeddedDatabase;
import dev.orderly.persistence.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash, fail over, restart the database, overload and stop the server under load, and count in the
 * database itself that nothing acknowledged was lost and nothing completed twice. The servers are
 * the shaded jar in child JVMs; the database is an embedded PostgreSQL on a fixed port that the
 * test stops and starts. Each scenario appends one row to {@code target/reliability-results.md}.
 *
 * <p>The scale ({@code -Dorderly.reliability.scale=N}, set by the {@code reliability} profile)
 * multiplies the orders each scenario creates; the default keeps each scenario under a minute.
 */
@Timeout(300)
class ReliabilityIT {

  private static final int SCALE = Integer.getInteger("orderly.reliability.scale", 1);
  private static final Duration SETTLE = Duration.ofSeconds(60 + 30L * SCALE);
  private static final Path RESULTS =
      Path.of(System.getProperty("orderly.reliability.results", "target/reliability-results.md"));

  @TempDir Path folder;

  private int databasePort;
  private EmbeddedDatabase database;
  private final List<ChildServer> servers = new ArrayList<>();

  @BeforeEach
  void startDatabase() throws Exception {
    databasePort = freePort();
    database = startDatabaseOnItsPort();
    Migrations.apply(database.dataSource(), null);
    // Every status change, written by the database itself: completions are counted here, not in
    // what the servers say.
    execute(
        "create table order_transitions (order_id text not null, from_status text not null,"
            + " to_status text not null, node text)",
        "create function log_transition() returns trigger language plpgsql as $$ begin"
            + " insert into order_transitions values"
            + " (new.order_id, old.status, new.status, new.processed_by); return null; end $$",
        "create trigger orders_log_transitions after update on orders for each row"
            + " when (old.status is distinct from new.status) execute function log_transition()");
  }

  @AfterEach
  void stopEverything() {
    servers.forEach(ChildServer::close);
    if (database != null) {
      database.close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void killDashNineUnderLoadLosesNothingAndCompletesNothingTwice() throws Exception {
    List<String> options = options("--workers", "4", "--processing-delay", "20ms", "--lease", "2s");
    ChildServer first = start("kill9-first", "256m", options);
    URI uri = first.awaitListening();
    int target = 1_500 * SCALE;

    ScenarioLoad load = new ScenarioLoad(List.of(uri), "k9", 8);
    awaitAcknowledged(load, target / 2);
    Await.until(
        "some orders are Processing",
        Duration.ofSeconds(30),
        () -> count("status = 'Processing'") > 0);
    first.kill();
    long killedAt = System.nanoTime();
    load.close();

    ChildServer second = start("kill9-second", "256m", options);
    URI again = second.awaitListening();
    double ready = seconds(System.nanoTime() - killedAt);
    awaitAllCompleted(load.acknowledged());
    double recovery = seconds(System.nanoTime() - killedAt);
    ScenarioLoad after = new ScenarioLoad(List.of(again), "k9b", 8);
    awaitAcknowledged(after, target / 2);
    after.close();
    Set<String> acknowledged = union(load.acknowledged(), after.acknowledged());
    awaitAllCompleted(acknowledged);

    Outcome outcome = outcome(acknowledged);
    record(
        "1. kill -9 under load",
        "8 clients, 1 server, 20 ms/order",
        "SIGKILL mid-run, restart",
        outcome,
        String.format(
            Locale.ROOT,
            "restarted and ready %.1f s after the kill; every order acknowledged before it"
                + " Completed %.1f s after it (lease 2 s)",
            ready,
            recovery));
    assertThat(load.serverErrorsOtherThan503() + after.serverErrorsOtherThan503()).isZero();
    outcome.assertNothingLostOrDoubled();
  }

  @Test
  void threeNodesShareTheWorkAndTwoFinishTheOrdersOfAKilledOne() throws Exception {
    List<URI> uris = new ArrayList<>();
    List<ChildServer> nodes = new ArrayList<>();
    for (String node : List.of("node-a", "node-b", "node-c")) {
      ChildServer server =
          start(
              node,
              "192m",
              options(
                  "--node-id",
                  node,
                  "--workers",
                  "4",
                  "--processing-delay",
                  "50ms",
                  "--lease",
                  "2s"));
      nodes.add(server);
    }
    for (ChildServer node : nodes) {
      uris.add(node.awaitListening());
    }
    int target = 1_500 * SCALE;

    ScenarioLoad load = new ScenarioLoad(uris, "three", 12);
    awaitAcknowledged(load, target / 2);
    Await.until(
        "node-c has work in hand",
        Duration.ofSeconds(30),
        () -> count("status = 'Processing' and processed_by = 'node-c'") > 0);
    nodes.get(2).kill();
    long killedAt = System.nanoTime();
    awaitAcknowledged(load, target);
    load.close();
    Set<String> acknowledged = load.acknowledged();
    awaitAllCompleted(acknowledged);
    double recovery = seconds(System.nanoTime() - killedAt);

    Set<String> workers = new TreeSet<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select distinct node from order_transitions where to_status = 'Completed'")) {
      while (rows.next()) {
        workers.add(rows.getString(1));
      }
    }
    Outcome outcome = outcome(acknowledged);
    record(
        "2. three nodes, one killed",
        "12 clients over 3 servers, 50 ms/order",
        "SIGKILL of node-c mid-run",
        outcome,
        String.format(Locale.ROOT, "%.1f s to every order Completed (lease 2 s)", recovery));
    assertThat(workers)
        .as("nodes that completed orders")
        .containsExactly("node-a", "node-b", "node-c");
    assertThat(count("status = 'Completed' and processed_by in ('node-a', 'node-b')"))
        .as("orders completed by the survivors")
        .isPositive();
    assertThat(load.serverErrorsOtherThan503()).isZero();
    outcome.assertNothingLostOrDoubled();
  }

  @Test
  void aDatabaseRestartUnderLoadAnswers503QuicklyAndTheServerRecoversByItself() throws Exception {
    ChildServer server =
        start("db-restart", "256m", options("--workers", "4", "--processing-delay", "20ms"));
    URI uri = server.awaitListening();
    TestHttp http = new TestHttp(uri);
    int target = 600 * SCALE;

    ScenarioLoad load = new ScenarioLoad(List.of(uri), "pg", 8);
    awaitAcknowledged(load, target / 2);
    database.close();
    database = null;
    Await.until(
        "creates are answered 503",
        Duration.ofSeconds(30),
        () -> load.count(503) >= 20,
        load::toString);
    assertThat(http.get("/health/ready").status()).isEqualTo(503);
    database = startDatabaseOnItsPort();
    long restartedAt = System.nanoTime();
    Await.until("the server is ready again", Duration.ofSeconds(60), () -> ready(http));
    double recovery = seconds(System.nanoTime() - restartedAt);
    awaitAcknowledged(load, target);
    load.close();
    Set<String> acknowledged = load.acknowledged();
    awaitAllCompleted(acknowledged);

    Outcome outcome = outcome(acknowledged);
    record(
        "3. PostgreSQL restarted under load",
        "8 clients, 1 server, 20 ms/order",
        String.format(
            Locale.ROOT,
            "database stopped until %d creates got 503, then started; slowest answer %d ms",
            load.count(503),
            load.slowestMillis()),
        outcome,
        String.format(Locale.ROOT, "%.1f s from database start to ready", recovery));
    assertThat(load.serverErrorsOtherThan503()).as(load.toString()).isZero();
    assertThat(load.timeouts())
        .as("requests that hung past %s", ScenarioLoad.REQUEST_TIMEOUT)
        .isZero();
    assertThat(load.missingRetryAfter()).as("503 answers without Retry-After").isZero();
    assertThat(load.slowest503Millis()).as("the slowest 503, ms").isLessThan(10_000);
    outcome.assertNothingLostOrDoubled();
  }

  @Test
  void overloadKeepsMemoryBoundedAndAnswersQuickly() throws Exception {
    ChildServer server =
        start(
            "overload",
            "128m",
            options(
                "--workers",
                "2",
                "--processing-delay",
                "200ms",
                "--db-pool-size",
                "2",
                "--http-threads",
                "4"));
    URI uri = server.awaitListening();
    TestHttp http = new TestHttp(uri);
    int target = 3_000 * SCALE;

    long peakKib = 0;
    ScenarioLoad load = new ScenarioLoad(List.of(uri), "over", 64);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (load.acknowledged().size() < target && System.nanoTime() < deadline) {
      peakKib = Math.max(peakKib, server.residentKib());
      Thread.sleep(100); // sampling interval of the memory probe, not a wait for a condition
    }
    load.close();
    peakKib = Math.max(peakKib, server.residentKib());
    long pending = count("status = 'Pending'");
    assertThat(ready(http)).as("ready after the overload").isTrue();
    Set<String> acknowledged = load.acknowledged();

    Outcome outcome = outcome(acknowledged);
    record(
        "4. overload",
        "64 clients, 1 server: 2 workers at 200 ms/order (10/s), pool of 2 connections, -Xmx128m",
        String.format(
            Locale.ROOT,
            "intake far above processing (%d Pending at the end); peak RSS %d MiB; slowest"
                + " answer %d ms; %d answered 503",
            pending,
            peakKib / 1024,
            load.slowestMillis(),
            load.count(503)),
        outcome,
        "ready right after the load; the backlog drains at 10/s");
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(target);
    assertThat(load.serverErrorsOtherThan503()).as(load.toString()).isZero();
    assertThat(load.timeouts()).as(load.toString()).isZero();
    assertThat(load.slowestMillis()).as("the slowest answer, ms").isLessThan(10_000);
    assertThat(peakKib / 1024).as("peak resident memory, MiB").isLessThan(600);
    assertThat(outcome.lost()).as("acknowledged orders missing from the table").isZero();
    assertThat(outcome.completedTwice()).isZero();
  }

  @Test
  void sigtermUnderLoadStopsWithinTheTimeoutWithStatus0AndNothingLeftProcessing() throws Exception {
    List<String> options =
        options("--workers", "4", "--processing-delay", "300ms", "--shutdown-timeout", "2s");
    ChildServer server = start("sigterm", "256m", options);
    URI uri = server.awaitListening();
    int target = 400 * SCALE;

    ScenarioLoad load = new ScenarioLoad(List.of(uri), "term", 8);
    awaitAcknowledged(load, target);
    Await.until(
        "orders are Processing", Duration.ofSeconds(30), () -> count("status = 'Processing'") > 0);
    long stopping = System.nanoTime();
    int status = server.terminate(Duration.ofSeconds(2 + 4 + 4));
    double stopSeconds = seconds(System.nanoTime() - stopping);
    load.close();
    long processing = count("status = 'Processing'");

    ChildServer again = start("sigterm-again", "256m", options);
    again.awaitListening();
    Set<String> acknowledged = load.acknowledged();
    awaitAllCompleted(acknowledged);

    Outcome outcome = outcome(acknowledged);
    record(
        "5. SIGTERM under load",
        "8 clients, 1 server, 300 ms/order, shutdown timeout 2 s",
        "SIGTERM mid-run, restart",
        outcome,
        String.format(
            Locale.ROOT,
            "stopped in %.1f s, exit %d, %d left Processing",
            stopSeconds,
            status,
            processing));
    assertThat(status).as(server.output()).isZero();
    assertThat(processing).as("orders left Processing").isZero();
    assertThat(load.serverErrorsOtherThan503()).isZero();
    outcome.assertNothingLostOrDoubled();
  }

  // ---------------------------------------------------------------------------------------------

  /** What the database says about the acknowledged orders. */
  record Outcome(int acknowledged, long lost, long notCompleted, long completedTwice) {
    void assertNothingLostOrDoubled() {
      assertThat(lost).as("acknowledged orders missing from the table").isZero();
      assertThat(notCompleted).as("acknowledged orders not Completed").isZero();
      assertThat(completedTwice).as("orders completed more than once").isZero();
    }
  }

  private Outcome outcome(Set<String> acknowledged) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      Array ids = connection.createArrayOf("text", acknowledged.toArray());
      long present;
      long completed;
      try (PreparedStatement statement =
          connection.prepareStatement(
              "select count(*), count(*) filter (where status = 'Completed') from orders"
                  + " where order_id = any(?)")) {
        statement.setArray(1, ids);
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          present = rows.getLong(1);
          completed = rows.getLong(2);
        }
      }
      long twice;
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "select count(*) from (select order_id from order_transitions"
                      + " where to_status = 'Completed' group by order_id"
                      + " having count(*) > 1) doubled")) {
        rows.next();
        twice = rows.getLong(1);
      }
      return new Outcome(
          acknowledged.size(), acknowledged.size() - present, present - completed, twice);
    }
  }

  private void awaitAllCompleted(Set<String> acknowledged) {
    Await.until(
        "every acknowledged order is Completed",
        SETTLE,
        () -> {
          try {
            Outcome outcome = outcome(acknowledged);
            return outcome.lost() > 0 || outcome.notCompleted() == 0;
          } catch (SQLException e) {
            return false;
          }
        },
        () -> {
          try {
            return "; " + outcome(acknowledged);
          } catch (SQLException e) {
            return "; " + e;
          }
        });
  }

  private static void awaitAcknowledged(ScenarioLoad load, int orders) {
    Await.until(
        orders + " orders are acknowledged",
        Duration.ofSeconds(120),
        () -> load.acknowledged().size() >= orders,
        load::toString);
  }

  private ChildServer start(String name, String heap, List<String> options) {
    Path logs = Path.of("target", "reliability-logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChildServer server = ChildServer.start(logs.toAbsolutePath(), name, heap, options);
    servers.add(server);
    return server;
  }

  private List<String> options(String... extra) {
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db-url",
            "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres",
            "--db-user",
            database.user(),
            "--db-password",
            database.password()));
    options.addAll(List.of(extra));
    return options;
  }

  private EmbeddedDatabase startDatabaseOnItsPort() {
    return EmbeddedDatabase.builder(folder.resolve("pg")).port(databasePort).start();
  }

  private static boolean ready(TestHttp http) {
    try {
      return http.get("/health/ready").status() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  private long count(String where) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from orders where " + where)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void execute(String... statements) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static synchronized void record(
      String scenario, String load, String faults, Outcome outcome, String recovery) {
    String row =
        String.join(
                " | ",
                "| " + scenario,
                load,
                faults,
                Integer.toString(outcome.acknowledged()),
                Long.toString(outcome.lost()),
                Long.toString(outcome.completedTwice()),
                recovery)
            + " |\n";
    System.out.print("RELIABILITY " + row);
    try {
      Files.createDirectories(RESULTS.toAbsolutePath().getParent());
      Files.writeString(
          RESULTS,
          row,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
