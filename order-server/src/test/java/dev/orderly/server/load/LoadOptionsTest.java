package dev.orderly.server.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadOptionsTest {

  @Test
  void defaultsDriveTheLocalServer() {
    LoadOptions options = LoadOptions.parse(List.of());

    assertThat(options.url()).isEqualTo("http://127.0.0.1:8080");
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.basePath()).isEmpty();
    assertThat(options.orders()).isEqualTo(LoadOptions.DEFAULT_ORDERS);
    assertThat(options.concurrency()).isEqualTo(LoadOptions.DEFAULT_CONCURRENCY);
    assertThat(options.rate()).isZero();
    assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.waitForCompletion()).isTrue();
    assertThat(options.idPrefix()).matches("load-[0-9a-z]{8}-");
    assertThat(options.jsonFile()).isNull();
    assertThat(options.allowReruns()).isFalse();
    assertThat(options.selfTest()).isFalse();
    assertThat(options.help()).isFalse();
  }

  @Test
  void twoRunsNeverShareAnIdPrefix() {
    assertThat(LoadOptions.parse(List.of()).idPrefix())
        .isNotEqualTo(LoadOptions.parse(List.of()).idPrefix());
  }

  @Test
  void everyOptionIsRead() {
    LoadOptions options =
        LoadOptions.parse(
            List.of(
                "--url",
                "http://localhost:9090/base/",
                "--orders=100000",
                "--concurrency",
                "1000",
                "--rate",
                "2500.5",
                "--timeout",
                "90s",
                "--no-wait",
                "--id-prefix",
                "run-7.",
                "--json",
                "out.json",
                "--io-threads",
                "2",
                "--request-timeout",
                "1500ms",
                "--max-attempts",
                "3",
                "--poll-interval",
                "PT0.2S",
                "--allow-reruns",
                "--self-test",
                "--help"));

    assertThat(options.url()).isEqualTo("http://localhost:9090/base");
    assertThat(options.basePath()).isEqualTo("/base");
    assertThat(options.hostHeader()).isEqualTo("localhost:9090");
    assertThat(options.orders()).isEqualTo(100_000);
    assertThat(options.concurrency()).isEqualTo(1000);
    assertThat(options.rate()).isEqualTo(2500.5);
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.waitForCompletion()).isFalse();
    assertThat(options.idPrefix()).isEqualTo("run-7.");
    assertThat(options.jsonFile()).isEqualTo(Path.of("out.json"));
    assertThat(options.ioThreads()).isEqualTo(2);
    assertThat(options.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(options.maxAttempts()).isEqualTo(3);
    assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(options.allowReruns()).isTrue();
    assertThat(options.selfTest()).isTrue();
    assertThat(options.help()).isTrue();
  }

  @Test
  void anIpv6LiteralLosesItsBracketsForTheSocketButNotForTheHostHeader() {
    LoadOptions options = LoadOptions.parse(List.of("--url", "http://[::1]:9000"));

    assertThat(options.host()).isEqualTo("::1");
    assertThat(options.hostHeader()).isEqualTo("[::1]:9000");
    assertThat(options.url()).isEqualTo("http://[::1]:9000");
  }

  @Test
  void durationsTakeUnits() {
    assertThat(LoadOptions.parseDuration("--timeout", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(LoadOptions.parseDuration("--timeout", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(LoadOptions.parseDuration("--timeout", "2.5s")).isEqualTo(Duration.ofMillis(2500));
    assertThat(LoadOptions.parseDuration("--timeout", "30")).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--orders      | 0           | --orders must be from 1 to 100000000, was 0",
        "--orders      | ten         | --orders must be a whole number, was 'ten'",
        "--orders      | 1e3         | --orders must be a whole number, was '1e3'",
        "--concurrency | 0           | --concurrency must be from 1 to 20000, was 0",
        "--concurrency | 99999       | --concurrency must be from 1 to 20000, was 99999",
        "--rate        | 0           | --rate must be more than 0 and at most 10000000, was 0",
        "--rate        | fast        | --rate must be a number, was 'fast'",
        "--timeout     | 0s          | --timeout must be more than 0, was 0s",
        "--timeout     | soon        | --timeout must be a duration such as 500ms, 30s, 5m or 1h",
        "--timeout     | 999h        | --timeout must be at most 7 days, was 999h",
        "--url         | https://x   | --url must be an http:// URL (https is not supported)",
        "--url         | ftp://x     | --url must be an http:// URL",
        "--url         | http://     | --url",
        "--url         | http://h?q=1| --url must have no user, query or fragment",
        "--id-prefix   | a/b         | --id-prefix must be 1 to 100 letters, digits",
        "--io-threads  | 0           | --io-threads must be from 1 to 64, was 0",
        "--max-attempts| 0           | --max-attempts must be from 1 to 100, was 0",
        "--request-timeout | -1s     | --request-timeout must be a duration",
        "--poll-interval | 0ms       | --poll-interval must be more than 0",
      })
  void aBadValueNamesItsOption(String option, String value, String message) {
    assertThatThrownBy(() -> LoadOptions.parse(List.of(option, value)))
        .isInstanceOf(LoadOptionException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(((LoadOptionException) e).option()).isEqualTo(option))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThatThrownBy(() -> LoadOptions.parse(List.of("--oders", "5")))
        .isInstanceOf(LoadOptionException.class)
        .hasMessage("unknown option --oders");
  }

  @Test
  void aMissingValueIsNamed() {
    assertThatThrownBy(() -> LoadOptions.parse(List.of("--orders")))
        .isInstanceOf(LoadOptionException.class)
        .hasMessage("--orders needs a value");
  }

  @Test
  void aFlagTakesNoValue() {
    assertThatThrownBy(() -> LoadOptions.parse(List.of("--no-wait=yes")))
        .isInstanceOf(LoadOptionException.class)
        .hasMessage("--no-wait takes no value, was 'yes'");
  }

  @Test
  void theUsageListsEveryOption() {
    assertThat(LoadOptions.usage())
        .contains("--url", "--orders", "--concurrency", "--rate", "--timeout", "--no-wait")
        .contains("--id-prefix", "--json", "--allow-reruns", "--self-test", "--help");
  }
}
