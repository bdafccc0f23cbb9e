package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed while it creates orders leaves its postmaster running; the next start on the folder
 * stops that orphan and finds every order the dead JVM saw acknowledged.
 */
class EmbeddedDatabaseCrashTest {

  private static final int ACKNOWLEDGED_BEFORE_KILL = 200;
  private static final Duration CHILD_OUTPUT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  /** Far below the 30 s that a start blocked by a live postmaster would take. */
  private static final Duration RESTART_LIMIT = Duration.ofSeconds(20);

  /** Marks the end of the child's output in {@link #lines}. */
  private static final String END = new String("end of output");

  @TempDir Path folder;

  private Process child;
  private EmbeddedDatabase database;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Deque<String> otherOutput = new ArrayDeque<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    if (database != null) {
      database.close();
    }
    // Should the test fail between the kill and the restart, leave no postmaster behind.
    postmasterPid()
        .flatMap(ProcessHandle::of)
        .filter(process -> process.info().commandLine().orElse("").contains(folder.toString()))
        .ifPresent(
            postmaster -> {
              postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
              postmaster.destroyForcibly();
            });
  }

  @Test
  void everyAcknowledgedOrderSurvivesAKilledJvmAndItsOrphanedServerIsStopped() throws Exception {
    Path data = folder.resolve("data");
    child = startChild(data);
    Set<Long> acknowledged = readAcknowledgedIds(ACKNOWLEDGED_BEFORE_KILL);

    child.destroyForcibly();
    assertThat(child.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("the child JVM exits when killed")
        .isTrue();
    long orphanPid = postmasterPid().orElseThrow();
    ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
    assertThat(orphan.isAlive()).as("the postmaster outlives its JVM").isTrue();

    long restartStarted = System.nanoTime();
    database = EmbeddedDatabase.start(data);
    Duration restart = Duration.ofNanos(System.nanoTime() - restartStarted);

    assertThat(restart).isLessThan(RESTART_LIMIT);
    // Its exit is done; only init's reaping of the zombie, which on some machines lags, remains.
    Await.until("the orphaned postmaster has exited", EXIT_TIMEOUT, () -> !orphan.isAlive());
    assertThat(postmasterPid())
        .as("the new postmaster's pid")
        .hasValueSatisfying(pid -> assertThat(pid).isNotEqualTo(orphanPid));
    assertThat(committedIds(database)).containsAll(acknowledged);
  }

  private Process startChild(Path data) throws IOException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedDatabaseCrashChild.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("reading the child's output failed: " + e);
              } finally {
                lines.add(END);
              }
            },
            "crash-child-output");
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  /** Reads the child's output until it has acknowledged {@code count} commits. */
  private Set<Long> readAcknowledgedIds(int count) throws InterruptedException {
    Set<Long> acknowledged = new HashSet<>();
    long deadline = System.nanoTime() + CHILD_OUTPUT_TIMEOUT.toNanos();
    while (acknowledged.size() < count) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null || line == END) {
        throw new AssertionError(
            (line == null ? "timed out" : "the child exited")
                + " after "
                + acknowledged.size()
                + " acknowledged commits; its last other output:\n"
                + String.join("\n", otherOutput));
      }
      if (line.startsWith(EmbeddedDatabaseCrashChild.ACK)) {
        acknowledged.add(Long.parseLong(line.substring(EmbeddedDatabaseCrashChild.ACK.length())));
      } else {
        otherOutput.addLast(line);
        if (otherOutput.size() > 40) {
          otherOutput.removeFirst();
        }
      }
    }
    return acknowledged;
  }

  private Optional<Long> postmasterPid() {
    Path pidFile = folder.resolve("data").resolve("postmaster.pid");
    try {
      return Files.readAllLines(pidFile).stream()
          .findFirst()
          .map(String::trim)
          .map(Long::parseLong);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<Long> committedIds(EmbeddedDatabase database) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select order_id from orders")) {
      while (rows.next()) {
        ids.add(Long.parseLong(rows.getString(1).substring("o-".length())));
      }
    }
    return ids;
  }
}
