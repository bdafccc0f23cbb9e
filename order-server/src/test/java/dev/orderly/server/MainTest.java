package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<OrderlyServer> started = new ArrayList<>();

  @AfterEach
  void stopServers() {
    started.forEach(OrderlyServer::close);
  }

  private int run(String... args) {
    return Main.run(
        args,
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        started::add);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsageAndStartsNothing() {
    assertThat(run("--port", "1", "--help")).isEqualTo(Main.EXIT_OK);

    assertThat(out()).startsWith("Usage: java -jar order-server.jar [options]");
    assertThat(started).isEmpty();
  }

  @Test
  void versionPrintsTheVersion() {
    assertThat(run("--version")).isEqualTo(Main.EXIT_OK);

    assertThat(out()).matches("Orderly \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    assertThat(started).isEmpty();
  }

  @Test
  void aBadValueExitsWithStatus2AndOneLineNamingTheOption() {
    assertThat(run("--in-memory", "--workers", "none")).isEqualTo(Main.EXIT_BAD_OPTION);

    assertThat(err())
        .isEqualTo(
            "orderly: --workers must be a whole number from 1 to 1024, was 'none'"
                + System.lineSeparator());
    assertThat(out()).isEmpty();
    assertThat(started).isEmpty();
  }

  @Test
  void aDatabaseThatCannotBeReachedExitsWithStatus1AndSaysWhy() {
    // Port 1 on the loopback refuses connections at once.
    int status =
        run("--db-url", "jdbc:postgresql://127.0.0.1:1/orderly", "--port", "0", "--db-user", "x");

    assertThat(status).isEqualTo(Main.EXIT_START_FAILED);
    assertThat(err())
        .startsWith(
            "orderly: could not start: could not open the PostgreSQL at"
                + " jdbc:postgresql://127.0.0.1:1/orderly: ")
        .doesNotContain("\tat ");
    assertThat(err().lines()).hasSize(1);
    assertThat(started).isEmpty();
  }

  @Test
  void aPortInUseFailsTheStartBeforeTheDatabaseIsCreatedWithOneLineNamingThePort(
      @TempDir Path folder) throws IOException {
    Path data = folder.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      int status = run("--host", "127.0.0.1", "--port", "" + port, "--data-dir", data.toString());

      assertThat(status).isEqualTo(Main.EXIT_START_FAILED);
      assertThat(err())
          .startsWith("orderly: could not start: could not listen on 127.0.0.1:" + port + ": ")
          .contains("another process holds port " + port)
          .doesNotContain("\tat ");
      assertThat(err().lines()).hasSize(1);
      assertThat(data).as("the database was never created").doesNotExist();
      assertThat(started).isEmpty();
    }
  }

  @Test
  void aGoodCommandLineStartsTheServer() {
    assertThat(run("--in-memory", "--port", "0", "--host", "127.0.0.1")).isEqualTo(Main.EXIT_OK);

    assertThat(started).hasSize(1);
    assertThat(started.get(0).isRunning()).isTrue();
    assertThat(started.get(0).uri().getPort()).isPositive();
  }
}
