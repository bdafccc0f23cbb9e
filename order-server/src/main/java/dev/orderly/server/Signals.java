package dev.orderly.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes SIGTERM a normal exit. The JVM runs its shutdown hooks on SIGTERM either way, but then
 * exits with status 143, which process supervisors may report as a crash; after a clean shutdown
 * the server should exit with 0. Not instantiable.
 */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** On SIGTERM, exits with status 0 through {@link System#exit}, which runs the shutdown hooks. */
  static void exitNormallyOnSigterm() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      // No such signal here (or the JVM reserves it, as with -Xrs): the default handling still
      // runs the shutdown hooks, and only the exit status differs.
      LOG.debug("SIGTERM keeps its default handling: {}", e.toString());
    }
  }
}
