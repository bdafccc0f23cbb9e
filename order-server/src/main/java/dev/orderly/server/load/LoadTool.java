package dev.orderly.server.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load tool: creates orders through Orderly's HTTP API from many keep-alive connections,
 * reports create throughput and latency, then waits until every created order is Completed and
 * checks that each completed exactly once. Its HTTP client is non-blocking ({@link NioHttpClient}),
 * so it is not the bottleneck it measures; {@code --self-test} measures its own ceiling. Uses only
 * the JDK. Stateless; each {@link #run} is independent.
 *
 * <pre>{@code
 * java -jar order-server.jar load --url http://127.0.0.1:8080 --orders 100000 --concurrency 1000
 * }</pre>
 *
 * <p>Exit statuses: {@value #EXIT_OK} when every check passed (and for {@code --help}); {@value
 * #EXIT_FAILED} when one failed (an order not accepted, lost, not completed in time, processed more
 * than once, any 5xx), with the reasons printed; {@value #EXIT_BAD_OPTION} for a bad option, with
 * one line naming it.
 */
public final class LoadTool {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_OPTION = 2;

  private static final String PROGRAM = "load";

  private LoadTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the tool; errors about options go to standard error.
   *
   * @param args the options, without the {@code load} command itself
   * @param out where progress and the summary go
   * @return the exit status
   */
  public static int run(String[] args, PrintStream out) {
    return run(args, out, System.err, System.console() != null);
  }

  /** As {@link #run(String[], PrintStream)}, for tests: where errors go, and whether to redraw. */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    LoadOptions options;
    try {
      options = LoadOptions.parse(Arrays.asList(args));
    } catch (LoadOptionException e) {
      err.println(PROGRAM + ": " + e.getMessage());
      return EXIT_BAD_OPTION;
    }
    if (options.help()) {
      out.print(LoadOptions.usage());
      return EXIT_OK;
    }
    if (options.selfTest()) {
      return SelfTest.run(options, out, terminal);
    }
    LoadRun run = new LoadRun(options, out, terminal);
    boolean passed = run.execute();
    printSummary(run.summary(), out);
    if (options.jsonFile() != null && !writeJson(run.summary(), options, err)) {
      return EXIT_FAILED;
    }
    return passed ? EXIT_OK : EXIT_FAILED;
  }

  /**
   * Prints the summary as {@code key: value} lines between two markers: maps become {@code key.sub:
   * value} lines, lists one {@code key: item} line each.
   */
  static void printSummary(Map<String, Object> summary, PrintStream out) {
    out.println("--- orderly load summary ---");
    for (Map.Entry<String, Object> entry : summary.entrySet()) {
      Object value = entry.getValue();
      String key = entry.getKey();
      if (value instanceof Map<?, ?> map) {
        if (map.isEmpty()) {
          out.println(key + ": none");
        }
        map.forEach((sub, count) -> out.println(key + "." + sub + ": " + count));
      } else if (value instanceof List<?> list) {
        String single = key.endsWith("s") ? key.substring(0, key.length() - 1) : key;
        list.forEach(item -> out.println(single + ": " + item));
      } else {
        out.println(key + ": " + text(value));
      }
    }
    out.println("--- end ---");
    out.flush();
  }

  static boolean writeJson(Map<String, Object> summary, LoadOptions options, PrintStream err) {
    try {
      Files.writeString(options.jsonFile(), Json.write(summary) + "\n", StandardCharsets.UTF_8);
      return true;
    } catch (IOException e) {
      err.println(PROGRAM + ": cannot write --json " + options.jsonFile() + ": " + e.getMessage());
      return false;
    }
  }

  private static String text(Object value) {
    if (value instanceof Double number) {
      return String.format(Locale.ROOT, "%s", number);
    }
    return String.valueOf(value);
  }
}
