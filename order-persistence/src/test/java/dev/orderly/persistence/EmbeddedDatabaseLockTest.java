package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.OrderlyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder whose embedded database a live process runs is that process's: a second start on it,
 * from another JVM, refuses at once and leaves the running server alone.
 */
class EmbeddedDatabaseLockTest {

  /** A child JVM on a busy machine: its JVM start and initdb, with room to spare. */
  private static final Duration CHILD_READY_TIMEOUT = Duration.ofSeconds(120);

  private static final Duration REFUSAL_LIMIT = Duration.ofSeconds(1);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path folder;

  private Process child;
  private final List<String> childOutput = new ArrayList<>();

  @AfterEach
  void stopChild() throws Exception {
    if (child != null) {
      // End of input: the child closes its database and exits.
      child.getOutputStream().close();
      if (!child.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void aSecondStartOnAFolderThatALiveProcessHoldsRefusesAtOnceAndTheFirstServerStillAnswers()
      throws Exception {
    Path data = folder.resolve("data");
    String jdbcUrl = startHolder(data.toString());
    Path postmasterPid = data.resolve("postmaster.pid");
    String postmaster = Files.readAllLines(postmasterPid).get(0);

    long started = System.nanoTime();
    assertThatThrownBy(() -> EmbeddedDatabase.start(data))
        .isInstanceOf(OrderlyException.class)
        .hasMessageContaining(data.toRealPath().toString())
        .hasMessageContaining("in use by process " + child.pid())
        .hasMessageNotContaining("\n");
    Duration refusal = Duration.ofNanos(System.nanoTime() - started);

    assertThat(refusal).isLessThan(REFUSAL_LIMIT);
    assertThat(Files.readAllLines(postmasterPid).get(0))
        .as("the first server's postmaster")
        .isEqualTo(postmaster);
    String password = Files.readString(data.resolve("orderly.password")).trim();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", password);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select 1")) {
      assertThat(rows.next()).as("the first server answers").isTrue();
    }
  }

  @Test
  void aServerThatAnOrderlyFromBeforeTheLockFileRunsIsNotTakenForAnOrphan() throws Exception {
    Path data = folder.resolve("data");
    EmbeddedDatabase.start(data).close();
    startHolder("--zonky-lock-only", data.toString());

    assertThatThrownBy(() -> EmbeddedDatabase.start(data))
        .isInstanceOf(OrderlyException.class)
        .hasMessageContaining(data.toRealPath().toString())
        .hasMessageContaining("in use by another process (it holds epg-lock)");
  }

  /** Starts the child with {@code args} and returns what it printed after "ready". */
  private String startHolder(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EmbeddedDatabaseHolderChild.class.getName());
    command.addAll(List.of(args));
    child = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                  if (line.startsWith(EmbeddedDatabaseHolderChild.READY)) {
                    ready.complete(line.substring(EmbeddedDatabaseHolderChild.READY.length()));
                  } else {
                    synchronized (childOutput) {
                      childOutput.add(line);
                    }
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              } finally {
                ready.completeExceptionally(new AssertionError("the child exited"));
              }
            },
            "holder-child-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return ready.get(CHILD_READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      synchronized (childOutput) {
        throw new AssertionError(
            "the child did not start its database; its output:\n" + String.join("\n", childOutput),
            e);
      }
    }
  }
}
