package dev.orderly.server;

import dev.orderly.persistence.EmbeddedDatabase;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the server's embedded PostgreSQL and restarts it when its process has exited (killed, or
 * stopped by a PANIC such as a full disk): PostgreSQL's crash recovery replays the WAL, so nothing
 * committed is lost, and the store's pool reconnects to the same port. When it cannot restart it
 * after {@link Policy#restarts()} tries, {@link #lost()} completes, and the server answers 503 and
 * exits non-zero so that a supervisor starts it afresh. Thread-safe; one daemon thread.
 */
final class DatabaseWatchdog implements AutoCloseable {

  /**
   * How often the database is looked at, and how a restart is retried.
   *
   * @param checkEvery the pause between two looks at the database's process
   * @param restarts how many restarts are tried before the database is given up
   * @param firstBackoff the pause after the first failed restart; it doubles after each one
   * @param maxBackoff the longest pause between two restarts
   */
  record Policy(Duration checkEvery, int restarts, Duration firstBackoff, Duration maxBackoff) {

    /**
     * A look every 250 ms (a look reads one file in {@code /proc}); five restarts, 1, 2, 4 and 8 s
     * apart, each of which may wait up to 10 s for PostgreSQL: about a minute and a half in all
     * before the process gives up and leaves the rest to its supervisor.
     */
    static final Policy DEFAULT =
        new Policy(Duration.ofMillis(250), 5, Duration.ofSeconds(1), Duration.ofSeconds(10));

    Policy {
      Objects.requireNonNull(checkEvery, "checkEvery");
      Objects.requireNonNull(firstBackoff, "firstBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (restarts < 1) {
        throw new IllegalArgumentException("restarts must be >= 1, was " + restarts);
      }
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatchdog.class);

  private final EmbeddedDatabase database;
  private final Policy policy;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CompletableFuture<String> lost = new CompletableFuture<>();
  private final Thread thread;

  private DatabaseWatchdog(EmbeddedDatabase database, Policy policy) {
    this.database = Objects.requireNonNull(database, "database");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.thread = new Thread(this::watch, "orderly-database-watchdog");
    thread.setDaemon(true);
  }

  /** Starts watching {@code database}. */
  static DatabaseWatchdog start(EmbeddedDatabase database, Policy policy) {
    DatabaseWatchdog watchdog = new DatabaseWatchdog(database, policy);
    watchdog.thread.start();
    return watchdog;
  }

  /**
   * Completes, with the reason, when the database has stopped and could not be restarted; the
   * watchdog has then stopped too.
   */
  CompletableFuture<String> lost() {
    return lost;
  }

  /** Stops watching; a restart under way finishes first (the database's close waits for it). */
  @Override
  public void close() {
    // No join: close runs in the shutdown that a lost database starts from this very thread.
    stopped.countDown();
  }

  private void watch() {
    while (!pause(policy.checkEvery())) {
      if (database.isRunning()) {
        continue;
      }
      LOG.warn(
          "Embedded PostgreSQL in {} has stopped (its process exited: killed, or a PANIC such as"
              + " a full disk); restarting it on the same folder and port, where crash recovery"
              + " replays the WAL",
          database.dataDirectory());
      if (!restart()) {
        return;
      }
    }
  }

  /** Tries the restarts of the policy; false when given up, or when the watchdog was closed. */
  private boolean restart() {
    Duration backoff = policy.firstBackoff();
    String lastFailure = "";
    for (int attempt = 1; attempt <= policy.restarts(); attempt++) {
      if (stopped.getCount() == 0) {
        return false;
      }
      long started = System.nanoTime();
      try {
        database.restart();
        LOG.warn(
            "Embedded PostgreSQL restarted on port {} in {} ms; serving again",
            database.port(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return true;
      } catch (RuntimeException e) {
        lastFailure = e.getMessage();
        LOG.warn(
            "Restart {} of {} of embedded PostgreSQL failed: {}",
            attempt,
            policy.restarts(),
            lastFailure);
      }
      if (attempt < policy.restarts()) {
        if (pause(backoff)) {
          return false;
        }
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(policy.maxBackoff()) > 0) {
          backoff = policy.maxBackoff();
        }
      }
    }
    String reason =
        "the embedded PostgreSQL in "
            + database.dataDirectory()
            + " stopped and could not be restarted after "
            + policy.restarts()
            + " tries (last: "
            + lastFailure
            + ")";
    LOG.error("Giving up: {}", reason);
    lost.complete(reason);
    return false;
  }

  /** Waits {@code duration}; true when the watchdog was closed meanwhile. */
  private boolean pause(Duration duration) {
    try {
      return stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
