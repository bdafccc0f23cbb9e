package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deploying the application warns about nothing: a warning at every start teaches readers of the
 * log to skip warnings. Jersey logs through java.util.logging, caught here.
 */
class StartupWarningsTest {

  private final Logger jersey = Logger.getLogger("org.glassfish.jersey");
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler collector =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record.getLoggerName() + ": " + record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void collectJerseyWarnings() {
    jersey.addHandler(collector);
  }

  @AfterEach
  void stopCollecting() {
    jersey.removeHandler(collector);
  }

  @Test
  void deployingTheApplicationLogsNoWarning() {
    ApiFixture api = new ApiFixture();

    assertThat(api.http.get("/health/live").status()).isEqualTo(200);
    assertThat(api.http.get("/orders").status()).isEqualTo(200);
    assertThat(warnings).isEmpty();
  }

  @Test
  void withEveryProtectionOnItStillLogsNoWarning() {
    OrderlyApplication application =
        new OrderlyApplication(new ApiFixture().client, () -> true)
            .requireBearerToken("secret")
            .allowCorsOrigins(List.of("https://shop.example.com"));
    InMemoryHttp http = new InMemoryHttp(application);

    assertThat(http.get("/health/live").status()).isEqualTo(200);
    assertThat(warnings).isEmpty();
  }
}
