package dev.orderly.server.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows a phase's progress while it runs: on a terminal one line redrawn with a carriage return
 * four times a second, elsewhere (a pipe, a CI log, a test) one line every five seconds. Each line
 * says done/total, the rate over the last interval and the error count. Thread-safe: a daemon
 * thread draws while the phase runs; {@link #close} draws the last line and stops it.
 */
final class Progress implements AutoCloseable {

  static final long TERMINAL_INTERVAL_MILLIS = 250;
  static final long LOG_INTERVAL_MILLIS = 5_000;
  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final LongSupplier done;
  private final LongSupplier errors;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private final Thread thread;
  private long lastDone;
  private int widest;
  private long lastNanos = startNanos;
  private volatile boolean running = true;

  private Progress(
      PrintStream out,
      String label,
      long total,
      LongSupplier done,
      LongSupplier errors,
      boolean terminal) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.done = done;
    this.errors = errors;
    this.terminal = terminal;
    this.thread = new Thread(this::draw, "orderly-load-progress");
    thread.setDaemon(true);
  }

  /**
   * Starts drawing.
   *
   * @param terminal true to redraw one line (use {@code System.console() != null})
   */
  static Progress start(
      PrintStream out,
      String label,
      long total,
      LongSupplier done,
      LongSupplier errors,
      boolean terminal) {
    Progress progress = new Progress(out, label, total, done, errors, terminal);
    progress.thread.start();
    return progress;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      print(true);
    }
  }

  private void draw() {
    long interval = terminal ? TERMINAL_INTERVAL_MILLIS : LOG_INTERVAL_MILLIS;
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (running) {
          print(false);
        }
      }
    }
  }

  private void print(boolean last) {
    long now = System.nanoTime();
    long current = done.getAsLong();
    double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
    // The last line gives the phase's mean rate; one that ended at once has none worth showing.
    double elapsed = (now - startNanos) / 1e9;
    double rate = last ? (elapsed < 0.1 ? 0 : current / elapsed) : (current - lastDone) / seconds;
    lastDone = current;
    lastNanos = now;
    String line = line(label, current, total, rate, errors.getAsLong(), (now - startNanos) / 1e9);
    if (terminal) {
      // Padded to the longest line so far, so that a shorter one leaves no remnant behind it.
      widest = Math.max(widest, line.length());
      out.print("\r" + line + " ".repeat(widest - line.length()) + (last ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  static String line(
      String label, long done, long total, double rate, long errors, double elapsedSeconds) {
    int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
    return String.format(
        Locale.ROOT,
        "%-9s [%s%s] %d/%d %5.1f%% %,.0f/s errors %d %.1fs",
        label,
        "#".repeat(filled),
        " ".repeat(BAR_WIDTH - filled),
        done,
        total,
        total <= 0 ? 100.0 : 100.0 * done / total,
        rate,
        errors,
        elapsedSeconds);
  }
}
