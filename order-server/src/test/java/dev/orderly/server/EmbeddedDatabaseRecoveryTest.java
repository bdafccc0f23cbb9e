package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.orderly.core.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A server on its embedded PostgreSQL whose postmaster is killed with SIGKILL, as a crash or a
 * PANIC on a full disk ends it: the server restarts the database and serves again, with every
 * acknowledged order kept; and when the database cannot come back, the server says it is dead.
 */
class EmbeddedDatabaseRecoveryTest {

  private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(60);

  /** Quick looks and a quick give-up, for the test; the defaults give up after about 90 s. */
  private static final DatabaseWatchdog.Policy QUICK =
      new DatabaseWatchdog.Policy(
          Duration.ofMillis(100), 2, Duration.ofMillis(100), Duration.ofMillis(100));

  @TempDir Path folder;

  /**
   * The loggers that warn of the outage this test causes on purpose: their lines are kept here, not
   * printed, so that a green build shows only what a reader should act on.
   */
  private static final List<String> OUTAGE_LOGGERS =
      List.of(
          DatabaseWatchdog.class.getName(),
          "dev.orderly.persistence.Notifications",
          "dev.orderly.core.internal.Dispatcher",
          "com.zaxxer.hikari",
          // zonky cannot stop the killed postmaster before it releases the folder, and says so.
          "io.zonky.test.db.postgres.embedded.EmbeddedPostgres");

  private final ListAppender<ILoggingEvent> outage = new ListAppender<>();

  private OrderlyServer server;

  @BeforeEach
  void keepTheOutagesWarnings() {
    outage.start();
    for (String name : OUTAGE_LOGGERS) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.addAppender(outage);
      logger.setAdditive(false);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    for (String name : OUTAGE_LOGGERS) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.setAdditive(true);
      logger.detachAppender(outage);
    }
  }

  private List<String> watchdogWarnings() {
    return outage.list.stream()
        .filter(event -> event.getLoggerName().equals(DatabaseWatchdog.class.getName()))
        .filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void aKilledEmbeddedDatabaseIsRestartedAndNoAcknowledgedOrderIsLost() throws Exception {
    server = start(DatabaseWatchdog.Policy.DEFAULT);
    TestHttp http = new TestHttp(server.uri());
    List<String> acknowledged = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String id = "before-" + i;
      assertThat(http.post("/orders", order(id)).status()).isEqualTo(201);
      acknowledged.add(id);
    }

    long killed = killPostmaster();

    // Backends outlive their postmaster for a moment, and may still acknowledge a create: keep
    // every acknowledged one, until a new postmaster serves them.
    int[] attempt = {0};
    Await.until(
        "a new postmaster serves creates after pid " + killed + " was killed",
        RECOVERY_DEADLINE,
        () -> {
          String id = "after-" + ++attempt[0];
          boolean created = http.post("/orders", order(id)).status() == 201;
          if (created) {
            acknowledged.add(id);
          }
          return created && postmasterPid().filter(pid -> pid != killed).isPresent();
        });
    for (String id : acknowledged) {
      assertThat(http.get("/orders/" + id + "/status").status()).as(id).isEqualTo(200);
    }
    assertThat(http.get("/health/ready").status()).isEqualTo(200);
    assertThat(http.get("/health/live").status()).isEqualTo(200);
    assertThat(server.isRunning()).isTrue();
    assertThat(server.databaseLost()).isNotDone();
    assertThat(watchdogWarnings())
        .anyMatch(line -> line.contains("has stopped") && line.contains("restarting it"))
        .anyMatch(line -> line.contains("restarted on port"));
  }

  @Test
  void aDatabaseThatCannotRestartMakesLiveAnswer503AndTheProcessExitWithStatus3() throws Exception {
    server = start(QUICK);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Main.exitWhenDatabaseLost(server, exit::complete);
    TestHttp http = new TestHttp(server.uri());
    assertThat(http.post("/orders", order("1")).status()).isEqualTo(201);
    assertThat(http.get("/health/live").status()).isEqualTo(200);
    // A setting PostgreSQL cannot parse: every restart fails at once.
    Files.writeString(
        dataDir().resolve("postgresql.conf"),
        "this is not a setting\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    killPostmaster();

    String reason = server.databaseLost().get(RECOVERY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(reason).contains("could not be restarted after 2 tries");
    TestHttp.Answer live = http.get("/health/live");
    assertThat(live.status()).isEqualTo(503);
    assertThat(live.contentType()).startsWith("application/problem+json");
    assertThat(live.body()).doesNotContain("Exception");
    assertThat(server.isRunning()).isFalse();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(Main.EXIT_DATABASE_LOST);
  }

  private OrderlyServer start(DatabaseWatchdog.Policy policy) {
    ServerConfig config =
        ServerConfig.parse(
            List.of(
                "--port",
                "0",
                "--data-dir",
                dataDir().toString(),
                "--processing-delay",
                "0",
                "--db-timeout",
                "250ms"),
            Map.of());
    return OrderlyServer.start(config, policy);
  }

  private Path dataDir() {
    return folder.resolve("data");
  }

  /** The live postmaster that {@code postmaster.pid} names, if there is one. */
  private Optional<Long> postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(dataDir().resolve("postmaster.pid"));
      long pid = Long.parseLong(lines.get(0).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** SIGKILL to the postmaster that {@code postmaster.pid} names; returns its pid. */
  private long killPostmaster() throws IOException {
    List<String> lines = Files.readAllLines(dataDir().resolve("postmaster.pid"));
    long pid = Long.parseLong(lines.get(0).trim());
    ProcessHandle postmaster =
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster " + pid));
    assertThat(postmaster.destroyForcibly()).as("SIGKILL sent to " + pid).isTrue();
    return pid;
  }

  private static String order(String id) {
    return "{\"order_id\": \""
        + id
        + "\", \"user_id\": \"u-1\", \"item_ids\": [\"sku-1\"], \"total_amount\": 9.99}";
  }
}
