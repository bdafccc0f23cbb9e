package dev.orderly.server.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code --self-test}: measures the load client's own ceiling by driving a {@link
 * TrivialHttpServer} in the same process, so that a figure measured against Orderly can be read
 * against what the tool itself can do on the same machine. A warm-up pass (a fifth of the orders)
 * lets the JIT compile the client first. Besides the throughput it reports the CPU the client spent
 * per request (process CPU minus the trivial server's thread), which gives the rate one core of
 * client can sustain when the server does not share the machine. Stateless.
 */
final class SelfTest {

  private static final int MIN_WARM_UP = 1_000;

  private SelfTest() {}

  static int run(LoadOptions options, PrintStream out, boolean terminal) {
    try (TrivialHttpServer server = TrivialHttpServer.start()) {
      int warmUp = Math.max(MIN_WARM_UP, options.orders() / 5);
      out.println("self-test: warming up with " + warmUp + " requests");
      new LoadRun(target(options, server.port(), warmUp, "warm-"), out, terminal).execute();

      long cpuBefore = LoadRun.processCpuNanos();
      long serverCpuBefore = server.cpuNanos();
      long requestsBefore = server.requests();
      LoadRun run =
          new LoadRun(target(options, server.port(), options.orders(), ""), out, terminal);
      boolean passed = run.execute();
      long clientCpu =
          LoadRun.processCpuNanos() - cpuBefore - (server.cpuNanos() - serverCpuBefore);
      long requests = server.requests() - requestsBefore;

      Map<String, Object> summary = run.summary();
      summary.put("self_test", "trivial in-process NIO server on one thread, same machine");
      summary.put("available_processors", Runtime.getRuntime().availableProcessors());
      if (clientCpu > 0 && requests > 0) {
        double perRequestMicros = clientCpu / 1e3 / requests;
        summary.put("client_cpu_us_per_request", Math.round(perRequestMicros * 100) / 100.0);
        summary.put("client_rate_per_core_per_s", Math.round(1e6 / perRequestMicros));
      }
      LoadTool.printSummary(summary, out);
      return passed ? LoadTool.EXIT_OK : LoadTool.EXIT_FAILED;
    } catch (IOException e) {
      out.println("self-test: cannot start the trivial server: " + e.getMessage());
      return LoadTool.EXIT_FAILED;
    }
  }

  private static LoadOptions target(LoadOptions options, int port, int orders, String prefix) {
    return new LoadOptions(
        "127.0.0.1",
        port,
        "",
        orders,
        options.concurrency(),
        options.rate(),
        options.timeout(),
        false,
        prefix + options.idPrefix(),
        null,
        options.ioThreads(),
        options.requestTimeout(),
        options.maxAttempts(),
        options.pollInterval(),
        options.allowReruns(),
        false,
        false);
  }
}
