package dev.orderly.core.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes what one logger warns while open, instead of printing it: for a test that provokes a
 * warning on purpose, which it then asserts rather than leaves in the build's output. The engine
 * logs through {@code System.Logger}, which java.util.logging carries when nothing else is
 * installed. Records are collected thread-safely; open and close on the test's thread.
 *
 * <pre>{@code
 * try (LoggedWarnings warnings = LoggedWarnings.of("dev.orderly.core.internal.Listeners")) {
 *   engine.runOnce();
 *   assertThat(warnings.messages()).singleElement().asString().contains("failed");
 * }
 * }</pre>
 */
public final class LoggedWarnings implements AutoCloseable {

  private final Logger logger;
  private final boolean usedParentHandlers;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            messages.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LoggedWarnings(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    this.usedParentHandlers = logger.getUseParentHandlers();
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
  }

  /** Starts taking the warnings of the logger named {@code loggerName}. */
  public static LoggedWarnings of(String loggerName) {
    return new LoggedWarnings(loggerName);
  }

  /** The messages warned so far, oldest first. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(usedParentHandlers);
  }
}
