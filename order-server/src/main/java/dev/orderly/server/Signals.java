package dev.orderly.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a graceful stop followed by exit status 0. Not
 * instantiable.
 *
 * <p>The JVM's own handling runs every shutdown hook at once, in no set order, and exits with 143
 * or 130. That is not good enough here: the embedded PostgreSQL library registers a hook of its own
 * that stops the database, which would race the server's release of unfinished orders and could
 * leave them Processing. So the handler stops the server first, on the signal's thread, and only
 * then lets the JVM run its hooks through {@link System#exit}.
 */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
  private static final String[] STOP_SIGNALS = {"TERM", "INT"};

  private Signals() {}

  /** On SIGTERM or SIGINT, runs {@code stop} and then exits with status 0. */
  static void onStopSignal(Runnable stop) {
    for (String name : STOP_SIGNALS) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              LOG.info("Received SIG{}: stopping", name);
              stop.run();
              System.exit(Main.EXIT_OK);
            });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // No such signal here, or the JVM keeps it (as with -Xrs): the shutdown hook still stops
        // the server, with the JVM's exit status.
        LOG.debug("SIG{} keeps the JVM's handling: {}", name, e.toString());
      }
    }
  }
}
