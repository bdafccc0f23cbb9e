package dev.orderly.server;

import dev.orderly.server.load.LoadTool;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code java -jar order-server.jar [options]}, or {@code java -jar
 * order-server.jar load [options]} for the load tool ({@link LoadTool}). Parses the options (see
 * {@link ServerConfig#usage()}), starts an {@link OrderlyServer} and runs until the process is told
 * to stop (SIGTERM, Ctrl-C), then shuts the server down gracefully and exits with status 0 (see
 * {@link Signals} for why the signals are handled here and not only by a shutdown hook).
 *
 * <p>Exit statuses: 0 after a clean stop or for {@code --help} and {@code --version}; 1 when the
 * server cannot start; 2 for a bad option, with one line on standard error that names it; 3 when
 * the embedded database stopped and could not be restarted ({@link OrderlyServer#databaseLost()}),
 * so that a supervisor starts the process afresh.
 */
public final class Main {

  static final int EXIT_OK = 0;
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_BAD_OPTION = 2;
  static final int EXIT_DATABASE_LOST = 3;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String PROGRAM = "orderly";

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("load")) {
      System.exit(LoadTool.run(Arrays.copyOfRange(args, 1, args.length), System.out));
    }
    AtomicReference<OrderlyServer> running = new AtomicReference<>();
    Runnable stop =
        () -> {
          OrderlyServer server = running.get();
          if (server != null) {
            server.close();
          }
        };
    Signals.onStopSignal(stop);
    // For any other way the JVM ends (System.exit elsewhere, a platform without the signal
    // handlers); closing twice does nothing.
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "orderly-shutdown"));
    int status = run(args, System.getenv(), System.out, System.err, running::set);
    if (status != EXIT_OK || running.get() == null) {
      System.exit(status);
    }
    exitWhenDatabaseLost(running.get(), System::exit);
    awaitShutdown();
  }

  /**
   * Everything but the process handling, for tests: prints help or version, or parses the options
   * and starts the server, handing it to {@code started}.
   *
   * @return the exit status; {@link #EXIT_OK} also when the server is now running
   */
  static int run(
      String[] args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Consumer<OrderlyServer> started) {
    List<String> arguments = List.of(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      out.print(ServerConfig.usage());
      return EXIT_OK;
    }
    if (arguments.contains("--version")) {
      out.println("Orderly " + OrderlyServer.version());
      return EXIT_OK;
    }
    ServerConfig config;
    try {
      config = ServerConfig.parse(arguments, env);
    } catch (InvalidOptionException e) {
      err.println(PROGRAM + ": " + e.getMessage());
      return EXIT_BAD_OPTION;
    }
    try {
      started.accept(OrderlyServer.start(config));
      return EXIT_OK;
    } catch (RuntimeException e) {
      LOG.debug("Orderly could not start", e);
      err.println(PROGRAM + ": could not start: " + e.getMessage());
      return EXIT_START_FAILED;
    }
  }

  /**
   * Calls {@code exit} with {@link #EXIT_DATABASE_LOST} once the server's embedded database is gone
   * for good, so that a supervisor starts the process afresh; the shutdown hook then closes the
   * server on the way out.
   */
  static void exitWhenDatabaseLost(OrderlyServer server, IntConsumer exit) {
    server.databaseLost().thenRun(() -> exit.accept(EXIT_DATABASE_LOST));
  }

  /** Keeps the main thread alive: the server's threads are daemons. Shutdown hooks end the JVM. */
  private static void awaitShutdown() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
