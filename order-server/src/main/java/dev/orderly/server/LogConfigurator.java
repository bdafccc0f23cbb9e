package dev.orderly.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The server's logging, found by Logback through {@code META-INF/services}: one line per event on
 * standard output, timestamps in UTC, Orderly's own loggers at {@code ORDERLY_LOG_LEVEL} (a system
 * property or environment variable; default INFO) and the chattiest libraries at WARN. {@code
 * docs/logback.xml} is the same configuration as a file to start your own from; {@code
 * -Dlogback.configurationFile} hands the configuration back to Logback.
 *
 * <p>Code, not a {@code logback.xml} in the jar: Logback's XML configurator loads some 600 classes
 * (an XML parser, its model and its processors) and took about 0.25 s of every launch.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{36} - %msg%n";

  /** The levels set below the root's INFO. */
  static final Map<String, Level> LIBRARY_LEVELS =
      Map.of(
          // Their start and stop lines repeat what Orderly's own lines say.
          "com.zaxxer.hikari", Level.WARN,
          "org.flywaydb", Level.WARN,
          "io.zonky.test.db.postgres", Level.WARN,
          "org.glassfish", Level.WARN,
          // Grizzly warns on every graceful shutdown; the server logs its own line instead.
          "org.glassfish.grizzly.nio.GracefulShutdownRunner", Level.ERROR);

  private static final String CONFIGURATION_FILE = "logback.configurationFile";
  private static final String LEVEL_VARIABLE = "ORDERLY_LOG_LEVEL";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, name -> System.getProperty(name, System.getenv(name)));
  }

  /** {@code variables} looks up system properties and environment variables. */
  ExecutionStatus configure(LoggerContext context, UnaryOperator<String> variables) {
    if (variables.apply(CONFIGURATION_FILE) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // Grizzly and Jersey log through java.util.logging, bridged to SLF4J: keep JUL in step.
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(context);
    propagator.setResetJUL(true);
    context.addListener(propagator);
    propagator.start();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    context
        .getLogger("dev.orderly")
        .setLevel(Level.toLevel(variables.apply(LEVEL_VARIABLE), Level.INFO));
    LIBRARY_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
