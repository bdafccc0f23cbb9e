package dev.orderly.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadToolTest {

  private static final String PREFIX = "t-";
  private static final int ORDERS = 300;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private FakeOrderServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeOrderServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void everyCreatedOrderCompletesAndTheRunPasses(@TempDir Path folder) throws IOException {
    Path json = folder.resolve("summary.json");

    int status = run("--json", json.toString());

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output())
        .contains("creates_accepted: 300\n")
        .contains("creates_created_201: 300\n")
        .contains("completed: 300\n")
        .contains("completed_once: 300\n")
        .contains("reruns: 0\n")
        .contains("missing: 0\n")
        .contains("processed_by.fake-node: 300\n")
        .contains("create_errors: none\n")
        .contains("result: PASS\n")
        .doesNotContain("failure:");
    assertThat(server.orders).hasSize(ORDERS);
    assertThat(Json.parseObject(Files.readString(json)))
        .containsEntry("result", "PASS")
        .containsKey("create_latency_p99_ms")
        .containsKey("e2e_throughput_per_s");
  }

  @Test
  void waitsUntilTheOrdersComplete() {
    // Preflight is poll 1; the orders complete on the fourth poll, two polls into the wait.
    server.completeAfterMetricsPolls = 4;

    int status = run();

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(server.metricsPolls.get()).isEqualTo(4);
    assertThat(output()).contains("completed_once: 300\n").contains("verify_rounds: 1\n");
  }

  @Test
  void aLostOrderFailsTheRunAndIsNamed() {
    server.lose.add(PREFIX + 42);

    int status = run();

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_FAILED);
    assertThat(output())
        .contains("creates_accepted: 300\n")
        .contains("completed: 299\n")
        .contains("missing: 1\n")
        .contains("failure: 1 acknowledged orders are missing (404), e.g. t-42\n")
        .contains("result: FAIL\n");
  }

  @Test
  void aServerErrorFailsTheRunWithItsReason() {
    server.answer500.add(PREFIX + 7);

    int status = run();

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_FAILED);
    assertThat(output())
        .contains("creates_accepted: 299\n")
        .contains("create_errors.http_500: 1\n")
        .contains("failure: 1 of 300 creates were not accepted (errors: http_500=1)\n")
        .contains("failure: the server answered 5xx 1 times")
        .contains("sample_body.create_http_500: {\"type\":\"about:blank\"")
        .contains("completed_once: 299\n")
        .contains("result: FAIL\n");
  }

  @Test
  void aBackpressure503IsRetriedAndTheOrderAccepted() {
    server.answer503Once.add(PREFIX + 3);

    int status = run();

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output())
        .contains("creates_accepted: 300\n")
        .contains("create_errors.http_503: 1\n")
        .contains("create_retries: 1\n")
        .contains("result: PASS\n");
  }

  @Test
  void anOrderProcessedTwiceIsAReRun() {
    server.attemptsOf.put(PREFIX + 5, 2);

    int status = run();

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_FAILED);
    assertThat(output())
        .contains("completed: 300\n")
        .contains("completed_once: 299\n")
        .contains("reruns: 1\n")
        .contains("failure: 1 orders were processed more than once")
        .contains("t-5 (2 attempts)");
  }

  @Test
  void reRunsAreAllowedWhenFailuresAreInjected() {
    server.attemptsOf.put(PREFIX + 5, 2);

    int status = run("--allow-reruns");

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output()).contains("reruns: 1\n").contains("result: PASS\n");
  }

  @Test
  void ordersThatNeverCompleteFailAtTheTimeout() {
    server.neverComplete = true;

    int status = run("--timeout", "300ms");

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_FAILED);
    assertThat(output())
        .contains("not_completed_in_time: 300\n")
        .contains("failure: 300 orders did not complete within 300ms, e.g. t-0");
  }

  @Test
  void ordersCompletingFarSlowerThanCreatedAreCalledOutOnceNamingTheProcessingDelay() {
    server.neverComplete = true;

    int status = run("--timeout", "2s");

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_FAILED);
    assertThat(output().lines().filter(line -> line.contains("--processing-delay 0")))
        .singleElement()
        .asString()
        .startsWith("load: orders complete at 0.0/s but were created at ")
        .contains("start the server with --processing-delay 0")
        .contains("Waiting up to ");
  }

  @Test
  void ordersThatKeepUpAreNotCalledOut() {
    server.completeAfterMetricsPolls = 4;

    int status = run();

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output()).doesNotContain("--processing-delay");
  }

  @Test
  void theWarningComparesCompletionsWithCreates() {
    long tenSeconds = 10_000_000_000L;
    // 4 workers at 2 s per order: 2 orders/s against 1,000 creates/s.
    assertThat(LoadRun.slowCompletionWarning(20, tenSeconds, 1_000, 60_500_000_000L))
        .isEqualTo(
            "load: orders complete at 2.0/s but were created at 1000/s; for a throughput run,"
                + " start the server with --processing-delay 0 (by default it spends 2 s on each"
                + " order). Waiting up to 60s more.");
    // Ten times slower is still keeping up well enough; a server can lag its intake a little.
    assertThat(LoadRun.slowCompletionWarning(1_000, tenSeconds, 1_000, tenSeconds)).isNull();
    assertThat(LoadRun.slowCompletionWarning(10_000, tenSeconds, 1_000, tenSeconds)).isNull();
  }

  @Test
  void helpSaysToStartTheServerWithoutProcessingDelayForThroughput() {
    assertThat(LoadOptions.usage()).contains("start the server with --processing-delay 0");
  }

  @Test
  void noWaitOnlyCreates() {
    server.neverComplete = true;

    int status = run("--no-wait");

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output())
        .contains("creates_accepted: 300\n")
        .contains("wait: skipped (--no-wait)\n")
        .doesNotContain("completed:");
  }

  @Test
  void aPacedRunSendsEveryCreate() {
    int status = run("--rate", "3000", "--no-wait");

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output())
        .contains("rate_target: 3000.0\n")
        .contains("creates_accepted: 300\n")
        .contains("create_latency_from: scheduled send time");
  }

  @Test
  void anUnreachableServerFailsAtOnce() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    int status =
        LoadTool.run(
            new String[] {"--url", "http://127.0.0.1:" + port, "--max-attempts", "1"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    assertThat(status).isEqualTo(LoadTool.EXIT_FAILED);
    assertThat(output())
        .contains("failure: cannot reach the server at http://127.0.0.1:" + port)
        .contains("connect_refused");
  }

  @Test
  void aBadOptionIsOneLineNamingIt() {
    int status =
        LoadTool.run(
            new String[] {"--concurrency", "0"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    assertThat(status).isEqualTo(LoadTool.EXIT_BAD_OPTION);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("load: --concurrency must be from 1 to 20000, was 0" + System.lineSeparator());
    assertThat(output()).isEmpty();
  }

  @Test
  void helpPrintsTheUsage() {
    int status =
        LoadTool.run(
            new String[] {"--help"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    assertThat(status).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output()).startsWith("Usage: load [options]");
  }

  @Test
  void theSelfTestDrivesTheTrivialServer() {
    int status =
        LoadTool.run(
            new String[] {"--self-test", "--orders", "2000", "--concurrency", "16"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    assertThat(status).as(output()).isEqualTo(LoadTool.EXIT_OK);
    assertThat(output())
        .contains("creates_accepted: 2000\n")
        .contains("self_test: trivial in-process NIO server")
        .contains("result: PASS\n");
  }

  private int run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--url",
                server.url(),
                "--orders",
                String.valueOf(ORDERS),
                "--concurrency",
                "8",
                "--id-prefix",
                PREFIX,
                "--poll-interval",
                "10ms"));
    args.addAll(Arrays.asList(extra));
    return LoadTool.run(
        args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false);
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
