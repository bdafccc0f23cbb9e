package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.server.ServerConfig.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

  private static ServerConfig parse(String... args) {
    return ServerConfig.parse(List.of(args), Map.of());
  }

  private static ServerConfig parse(Map<String, String> env, String... args) {
    return ServerConfig.parse(List.of(args), env);
  }

  @Test
  void withNothingSetTheServerUsesTheEmbeddedDatabaseInOrderlyDataOnPort8080() {
    ServerConfig config = ServerConfig.defaults();

    assertThat(config.store()).isEqualTo(Store.EMBEDDED);
    assertThat(config.dataDir()).isEqualTo(Path.of("orderly-data"));
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).as("this machine only, unless asked").isEqualTo("127.0.0.1");
    assertThat(config.workers()).isEqualTo(4);
    assertThat(config.httpThreads())
        .isEqualTo(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    assertThat(config.dbPoolSize()).isEqualTo(10);
    assertThat(config.processingDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.failureRate()).isZero();
    assertThat(config.nodeId()).isNull();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.dbUrl()).isNull();
  }

  @Test
  void aFlagTakesItsValueAfterASpaceOrAnEqualsSign() {
    assertThat(parse("--port", "9000").port()).isEqualTo(9000);
    assertThat(parse("--port=9001").port()).isEqualTo(9001);
    assertThat(parse("--node-id=a=b").nodeId()).isEqualTo("a=b");
  }

  @Test
  void everyOptionIsReadFromItsFlag() {
    ServerConfig config =
        parse(
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--workers",
            "7",
            "--http-threads",
            "3",
            "--db-pool-size",
            "5",
            "--processing-delay",
            "250ms",
            "--failure-rate",
            "0.25",
            "--node-id",
            "node-a",
            "--data-dir",
            "/tmp/o",
            "--shutdown-timeout",
            "1m");

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.workers()).isEqualTo(7);
    assertThat(config.httpThreads()).isEqualTo(3);
    assertThat(config.dbPoolSize()).isEqualTo(5);
    assertThat(config.processingDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.failureRate()).isEqualTo(0.25);
    assertThat(config.nodeId()).isEqualTo("node-a");
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/o"));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void everyOptionIsReadFromItsEnvironmentVariable() {
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("ORDERLY_HOST", "127.0.0.2"),
            Map.entry("ORDERLY_PORT", "8181"),
            Map.entry("ORDERLY_WORKERS", "6"),
            Map.entry("ORDERLY_HTTP_THREADS", "5"),
            Map.entry("ORDERLY_DB_URL", "jdbc:postgresql://db:5432/shop"),
            Map.entry("ORDERLY_DB_USER", "orderly"),
            Map.entry("ORDERLY_DB_PASSWORD", "s3cret"),
            Map.entry("ORDERLY_DB_POOL_SIZE", "12"),
            Map.entry("ORDERLY_PROCESSING_DELAY", "2s"),
            Map.entry("ORDERLY_FAILURE_RATE", "0.1"),
            Map.entry("ORDERLY_NODE_ID", "node-b"),
            Map.entry("ORDERLY_SHUTDOWN_TIMEOUT", "3s"));

    ServerConfig config = parse(env);

    assertThat(config.host()).isEqualTo("127.0.0.2");
    assertThat(config.port()).isEqualTo(8181);
    assertThat(config.workers()).isEqualTo(6);
    assertThat(config.httpThreads()).isEqualTo(5);
    assertThat(config.store()).isEqualTo(Store.EXTERNAL);
    assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://db:5432/shop");
    assertThat(config.dbUser()).isEqualTo("orderly");
    assertThat(config.dbPassword()).isEqualTo("s3cret");
    assertThat(config.dbPoolSize()).isEqualTo(12);
    assertThat(config.processingDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.failureRate()).isEqualTo(0.1);
    assertThat(config.nodeId()).isEqualTo("node-b");
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theDataFolderIsReadFromItsVariable() {
    assertThat(parse(Map.of("ORDERLY_DATA_DIR", "/var/lib/orderly")).dataDir())
        .isEqualTo(Path.of("/var/lib/orderly"));
  }

  @Test
  void aFlagBeatsItsEnvironmentVariable() {
    Map<String, String> env = Map.of("ORDERLY_PORT", "8181", "ORDERLY_WORKERS", "6");

    ServerConfig config = parse(env, "--port", "9090");

    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.workers()).isEqualTo(6);
  }

  @Test
  void aBadEnvironmentValueIsIgnoredWhenAFlagOverridesIt() {
    assertThat(parse(Map.of("ORDERLY_PORT", "not-a-port"), "--port", "9090").port())
        .isEqualTo(9090);
  }

  @Test
  void aRepeatedFlagKeepsItsLastValue() {
    assertThat(parse("--port", "1", "--port", "2").port()).isEqualTo(2);
  }

  @Test
  void aBlankEnvironmentVariableCountsAsUnset() {
    assertThat(parse(Map.of("ORDERLY_PORT", "  ")).port()).isEqualTo(8080);
  }

  @ParameterizedTest
  @CsvSource({
    "0, PT0S",
    "0ms, PT0S",
    "250ms, PT0.25S",
    "2s, PT2S",
    "1.5s, PT1.5S",
    "2m, PT2M",
    "1h, PT1H",
    "PT3S, PT3S",
    "2S, PT2S"
  })
  void durationsTakeAUnit(String text, Duration expected) {
    assertThat(parse("--processing-delay", text).processingDelay()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0.2, 0.2", "20%, 0.2", "0, 0.0", "1, 1.0", "100%, 1.0"})
  void theFailureRateIsAFractionOrAPercentage(String text, double expected) {
    assertThat(parse("--failure-rate", text).failureRate()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port|abc|--port must be a whole number from 0 to 65535, was 'abc'",
        "--port|65536|--port must be a whole number from 0 to 65535, was '65536'",
        "--port|-1|--port must be a whole number from 0 to 65535, was '-1'",
        "--workers|0|--workers must be a whole number from 1 to 1024, was '0'",
        "--http-threads|many|--http-threads must be a whole number from 1 to 1024, was 'many'",
        "--db-pool-size|1|--db-pool-size must be a whole number from 2 to 1000, was '1'",
        "--processing-delay|2|--processing-delay must be a duration such as 0, 250ms, 2s or 1m,"
            + " at most 1h, was '2'",
        "--processing-delay|-1s|--processing-delay must be a duration such as 0, 250ms, 2s or 1m,"
            + " at most 1h, was '-1s'",
        "--processing-delay|2 days|--processing-delay must be a duration such as 0, 250ms, 2s or"
            + " 1m, at most 1h, was '2 days'",
        "--shutdown-timeout|11m|--shutdown-timeout must be a duration such as 0, 250ms, 2s or 1m,"
            + " at most 10m, was '11m'",
        "--failure-rate|1.5|--failure-rate must be a number from 0 to 1 (such as 0.2) or a"
            + " percentage (such as 20%), was '1.5'",
        "--failure-rate|often|--failure-rate must be a number from 0 to 1 (such as 0.2) or a"
            + " percentage (such as 20%), was 'often'",
        "--db-url|mysql://x|--db-url must be a PostgreSQL JDBC URL such as"
            + " jdbc:postgresql://localhost:5432/orderly, was 'mysql://x'",
        "--host|a b|--host must not contain spaces, was 'a b'",
        "--in-memory|maybe|--in-memory must be true or false, was 'maybe'"
      })
  void aBadFlagValueIsNamedInOneLine(String flag, String value, String message) {
    assertThatThrownBy(() -> parse(flag + "=" + value))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidOptionException) e).option())
        .isEqualTo(flag);
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() {
    assertThatThrownBy(() -> parse(Map.of("ORDERLY_WORKERS", "lots")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("ORDERLY_WORKERS must be a whole number from 1 to 1024, was 'lots'");
  }

  @Test
  void aNodeIdLongerThan128CharactersIsRefused() {
    String id = "n".repeat(129);

    assertThatThrownBy(() -> parse("--node-id", id))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--node-id must be 1 to 128 characters, was '" + id + "'");
    assertThat(parse("--node-id", "n".repeat(128)).nodeId()).hasSize(128);
  }

  @Test
  void aBadInMemoryVariableNamesTheVariable() {
    assertThatThrownBy(() -> parse(Map.of("ORDERLY_IN_MEMORY", "sometimes")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("ORDERLY_IN_MEMORY must be true or false, was 'sometimes'");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThatThrownBy(() -> parse("--prot", "8080"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("unknown option --prot (see --help)");
  }

  @Test
  void aMissingValueIsNamed() {
    assertThatThrownBy(() -> parse("--port"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--port needs a value <port>");
    assertThatThrownBy(() -> parse("--port", "--in-memory"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--port needs a value <port>");
    assertThatThrownBy(() -> parse("--port="))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--port needs a value <port>");
  }

  @Test
  void anArgumentThatIsNoOptionIsRefused() {
    assertThatThrownBy(() -> parse("8080"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("unexpected argument '8080': options start with -- (see --help)");
  }

  @Test
  void inMemoryAndAnExternalDatabaseOnTheCommandLineConflict() {
    assertThatThrownBy(() -> parse("--in-memory", "--db-url", "jdbc:postgresql://db/shop"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--in-memory and --db-url cannot be used together");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "ORDERLY_IN_MEMORY", "true", "ORDERLY_DB_URL", "jdbc:postgresql://db/x")))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("ORDERLY_IN_MEMORY and ORDERLY_DB_URL cannot be used together");
  }

  @Test
  void aStoreChosenByFlagBeatsOneChosenByTheEnvironment() {
    assertThat(parse(Map.of("ORDERLY_DB_URL", "jdbc:postgresql://db/shop"), "--in-memory").store())
        .isEqualTo(Store.IN_MEMORY);
    assertThat(
            parse(Map.of("ORDERLY_IN_MEMORY", "true"), "--db-url", "jdbc:postgresql://db/shop")
                .store())
        .isEqualTo(Store.EXTERNAL);
    assertThat(parse(Map.of("ORDERLY_IN_MEMORY", "yes")).store()).isEqualTo(Store.IN_MEMORY);
    assertThat(parse("--in-memory=false").store()).isEqualTo(Store.EMBEDDED);
  }

  @Test
  void thePasswordNeverAppearsInTheLoggedConfiguration() {
    ServerConfig config =
        parse(
            Map.of("ORDERLY_DB_PASSWORD", "s3cret"),
            "--db-url",
            "jdbc:postgresql://db:5432/shop?user=orderly&password=hunter2&ssl=true");

    assertThat(config.toString())
        .doesNotContain("s3cret")
        .doesNotContain("hunter2")
        .contains("db-password=****")
        .contains("db-url=jdbc:postgresql://db:5432/shop?user=orderly&password=****&ssl=true");
    assertThat(config.storeDescription()).doesNotContain("hunter2");
  }

  @Test
  void aBadPasswordIsNotEchoed() {
    assertThatThrownBy(() -> parse("--db-url", "postgres://u:pw@db/x"))
        .hasMessageContaining("postgres://u:****@db/x")
        .hasMessageNotContaining("pw@");
  }

  @Test
  void theLoggedConfigurationListsEverySetting() {
    assertThat(parse("--in-memory", "--port", "0", "--processing-delay", "250ms").toString())
        .isEqualTo(
            "host=127.0.0.1, port=0, workers=4, http-threads="
                + ServerConfig.DEFAULT_HTTP_THREADS
                + ", store=in-memory, processing-delay=250ms, failure-rate=0.0,"
                + " node-id=(generated), shutdown-timeout=5s, lease=30s, api-token=(none),"
                + " cors-origins=(none)");
  }

  @Test
  void theHelpListsEveryFlagWithItsVariable() {
    String usage = ServerConfig.usage();

    for (String flag :
        List.of(
            "--port",
            "--host",
            "--in-memory",
            "--data-dir",
            "--db-url",
            "--db-user",
            "--db-password",
            "--db-pool-size",
            "--workers",
            "--http-threads",
            "--processing-delay",
            "--failure-rate",
            "--node-id",
            "--shutdown-timeout",
            "--help",
            "--version")) {
      assertThat(usage).contains("  " + flag);
      if (!flag.equals("--help") && !flag.equals("--version")) {
        String variable = "ORDERLY_" + flag.substring(2).replace('-', '_').toUpperCase();
        assertThat(usage).containsPattern("  " + flag + "[^\\n]* " + variable + "\\n");
      }
    }
  }

  @Test
  void securityIsOffUnlessConfigured() {
    ServerConfig config = ServerConfig.defaults();

    assertThat(config.apiToken()).isNull();
    assertThat(config.corsOrigins()).isEmpty();
    assertThat(config.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.toString()).contains("api-token=(none)", "cors-origins=(none)", "lease=30s");
  }

  @Test
  void theApiTokenComesFromItsFlagOrVariableAndIsMaskedInTheLoggedConfiguration() {
    String token = "0123456789abcdef0123456789abcdef";

    ServerConfig fromFlag = parse("--in-memory", "--api-token", token);
    ServerConfig fromEnv = parse(Map.of("ORDERLY_API_TOKEN", token), "--in-memory");

    assertThat(fromFlag.apiToken()).isEqualTo(token);
    assertThat(fromEnv.apiToken()).isEqualTo(token);
    assertThat(fromFlag.toString()).contains("api-token=****").doesNotContain(token);
  }

  @ParameterizedTest
  @CsvSource({"short-token", "'0123456789abcdef 0123'", "0123456789abcdefé", "0123456789abcdef;x"})
  void aWeakOrMalformedTokenIsRefusedWithoutEchoingIt(String token) {
    assertThatThrownBy(() -> parse("--in-memory", "--api-token=" + token))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("--api-token must be at least 16 characters")
        .hasMessageEndingWith("was '****'");
  }

  @Test
  void corsOriginsAreACommaSeparatedList() {
    ServerConfig config =
        parse(
            Map.of("ORDERLY_CORS_ORIGINS", "https://shop.example.com, http://localhost:3000"),
            "--in-memory");

    assertThat(config.corsOrigins())
        .containsExactly("https://shop.example.com", "http://localhost:3000");
    assertThat(config.toString())
        .contains("cors-origins=https://shop.example.com,http://localhost:3000");
  }

  @ParameterizedTest
  @CsvSource({"*", "https://shop.example.com/path", "shop.example.com", "'https://a.example,'"})
  void aBadOriginIsRefused(String origins) {
    assertThatThrownBy(() -> parse("--in-memory", "--cors-origins", origins))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("--cors-origins must be a comma-separated list of origins");
  }

  @Test
  void theLeaseIsADurationOfAtLeastOneSecond() {
    assertThat(parse("--in-memory", "--lease", "3s").lease()).isEqualTo(Duration.ofSeconds(3));
    assertThat(parse(Map.of("ORDERLY_LEASE", "1m"), "--in-memory").lease())
        .isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> parse("--in-memory", "--lease", "500ms"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--lease must be at least 1s, was '500ms'");
  }

  @Test
  void theDatabaseTimeoutIsShortByDefaultAndConfigurable() {
    assertThat(ServerConfig.defaults().dbTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ServerConfig.defaults().toString()).contains("db-timeout=2s");
    assertThat(parse("--db-timeout", "750ms").dbTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(parse(Map.of("ORDERLY_DB_TIMEOUT", "5s")).dbTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> parse("--db-timeout", "100ms"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessage("--db-timeout must be at least 250ms, was '100ms'");
  }
}
