package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {

  private static final Path DOCUMENTED = Path.of("..", "docs", "logback.xml");

  @Test
  void configuresTheConsoleAndTheLevelsAndStopsThere() {
    LoggerContext context = new LoggerContext();

    ExecutionStatus status =
        new LogConfigurator().configure(context, Map.of("ORDERLY_LOG_LEVEL", "DEBUG")::get);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger("dev.orderly").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("org.flywaydb").getLevel()).isEqualTo(Level.WARN);
    assertThat(pattern(context)).isEqualTo(LogConfigurator.PATTERN);
  }

  @Test
  void anUnknownOrMissingLevelIsInfo() {
    LoggerContext missing = new LoggerContext();
    new LogConfigurator().configure(missing, name -> null);
    LoggerContext unknown = new LoggerContext();
    new LogConfigurator().configure(unknown, Map.of("ORDERLY_LOG_LEVEL", "chatty")::get);

    assertThat(missing.getLogger("dev.orderly").getLevel()).isEqualTo(Level.INFO);
    assertThat(unknown.getLogger("dev.orderly").getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void aConfigurationFileOfTheUsersIsLeftToLogback() {
    LoggerContext context = new LoggerContext();

    ExecutionStatus status =
        new LogConfigurator()
            .configure(context, Map.of("logback.configurationFile", "/etc/mine.xml")::get);

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
  }

  @Test
  void theDocumentedFileIsTheSameConfiguration() throws Exception {
    LoggerContext inCode = new LoggerContext();
    new LogConfigurator().configure(inCode, name -> null);
    LoggerContext fromFile = new LoggerContext();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(fromFile);
    joran.doConfigure(DOCUMENTED.toFile());

    assertThat(levels(fromFile)).isEqualTo(levels(inCode)).hasSize(7);
    assertThat(pattern(fromFile)).isEqualTo(pattern(inCode));
  }

  /** Every logger with a level of its own, by name. */
  private static Map<String, Level> levels(LoggerContext context) {
    Map<String, Level> levels = new TreeMap<>();
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        levels.put(logger.getName(), logger.getLevel());
      }
    }
    return levels;
  }

  private static String pattern(LoggerContext context) {
    var appender =
        (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
    return ((PatternLayoutEncoder) appender.getEncoder()).getPattern();
  }
}
