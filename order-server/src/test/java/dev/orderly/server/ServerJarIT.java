package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.testing.Await;
import dev.orderly.persistence.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users run it: {@code java -jar target/order-server.jar} in a child process,
 * stopped with SIGTERM ({@link Process#destroy()}). Runs after {@code package}, under failsafe.
 */
@Timeout(180)
class ServerJarIT {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");

  private final List<Process> processes = new ArrayList<>();

  @TempDir Path workingDirectory;
  @TempDir Path logs;

  @AfterEach
  void killLeftovers() {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  /** A running child JVM and what it printed so far. */
  private final class Child {
    final Process process;
    final Path outFile;
    final Path errFile;

    Child(String... args) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-jar");
      command.add(jar().toString());
      command.addAll(List.of(args));
      // Files, not pipes: a pipe read while the process exits can lose its last lines.
      int number = processes.size() + 1;
      outFile = logs.resolve("child-" + number + ".out");
      errFile = logs.resolve("child-" + number + ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workingDirectory.toFile())
              .redirectOutput(outFile.toFile())
              .redirectError(errFile.toFile());
      // Only what the test passes: no ORDERLY_* variable of the machine leaks in.
      builder.environment().keySet().removeIf(name -> name.startsWith("ORDERLY_"));
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      processes.add(process);
    }

    List<String> out() {
      return lines(outFile);
    }

    List<String> err() {
      return lines(errFile);
    }

    URI awaitListening() {
      Await.until(
          "the server says it listens",
          START_DEADLINE,
          () -> listeningUri().isPresent() || !process.isAlive(),
          () -> "; output: " + out() + " " + err());
      return listeningUri()
          .orElseThrow(() -> new AssertionError("the server exited: " + out() + " " + err()));
    }

    Optional<URI> listeningUri() {
      for (String line : out()) {
        Matcher matcher = LISTENING.matcher(line);
        if (matcher.find()) {
          return Optional.of(URI.create(matcher.group(1)));
        }
      }
      return Optional.empty();
    }

    int stopWithSigterm() throws InterruptedException {
      process.destroy();
      return awaitExit();
    }

    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
      return process.exitValue();
    }
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("orderly.server.jar", "target/order-server.jar"));
    assertThat(jar).as("the shaded jar, built by package").exists();
    return jar;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String order(String id) {
    return "{\"order_id\": \""
        + id
        + "\", \"user_id\": \"u-1\", \"item_ids\": [\"sku-1\"], \"total_amount\": 9.99}";
  }

  @Test
  void sigtermStopsTheServerWithStatus0AndNoOrderLeftProcessing() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--workers",
                "2",
                "--processing-delay",
                "1h",
                "--shutdown-timeout",
                "500ms"));
    args.addAll(PostgresServerTest.databaseOptions(database));
    Child child = new Child(args.toArray(String[]::new));
    TestHttp http = new TestHttp(child.awaitListening());
    for (int i = 1; i <= 3; i++) {
      assertThat(http.post("/orders", order("jar-" + i)).status()).isEqualTo(201);
    }
    Await.until(
        "both workers are busy (the engine may claim more ahead of them)",
        Duration.ofSeconds(30),
        () -> PostgresServerTest.storedStatuses(database).getOrDefault("Processing", 0) >= 2,
        () -> PostgresServerTest.storedStatuses(database).toString());

    int status = child.stopWithSigterm();

    assertThat(status).as("exit status; output %s %s", child.out(), child.err()).isZero();
    assertThat(PostgresServerTest.storedStatuses(database)).isEqualTo(Map.of("Pending", 3));
    assertThat(child.out()).anyMatch(line -> line.contains("Orderly stopped in"));
    assertThat(child.out()).noneMatch(line -> line.contains("ERROR"));
    if (!TestDatabase.server().password().isEmpty()) {
      assertThat(child.out()).anyMatch(line -> line.contains("db-password=****"));
    }
  }

  @Test
  void theEmbeddedDefaultKeepsOrdersInOrderlyDataAcrossRestarts() throws Exception {
    Child first = new Child("--host", "127.0.0.1", "--port", "0", "--processing-delay", "0");
    TestHttp http = new TestHttp(first.awaitListening());
    assertThat(http.post("/orders", order("11")).status()).isEqualTo(201);
    ServerContractTest.awaitStatus(http, "11", "Completed");

    assertThat(first.stopWithSigterm()).as("output %s %s", first.out(), first.err()).isZero();
    Path data = workingDirectory.resolve("orderly-data");
    assertThat(data.resolve("PG_VERSION")).exists();
    assertThat(data.resolve("postmaster.pid")).as("the database was stopped").doesNotExist();

    Child second = new Child("--host", "127.0.0.1", "--port", "0");
    TestHttp again = new TestHttp(second.awaitListening());
    assertThat(again.get("/orders/11/status").json().path("status").asText())
        .isEqualTo("Completed");
    assertThat(second.stopWithSigterm()).isZero();
  }

  @Test
  void aSecondServerOnTheSameDataFolderStopsWithOneLineAndTheFirstCarriesOn() throws Exception {
    Child first = new Child("--host", "127.0.0.1", "--port", "0", "--processing-delay", "0");
    TestHttp http = new TestHttp(first.awaitListening());
    Path data = workingDirectory.resolve("orderly-data").toRealPath();

    Child second = new Child("--host", "127.0.0.1", "--port", "0");

    assertThat(second.awaitExit()).isEqualTo(1);
    assertThat(second.err())
        .containsExactly(
            "orderly: could not start: the data folder "
                + data
                + " is in use by process "
                + first.process.pid()
                + " (it holds orderly.lock); stop that process, or give this one another folder");
    assertThat(http.post("/orders", order("12")).status()).isEqualTo(201);
    ServerContractTest.awaitStatus(http, "12", "Completed");
    assertThat(first.stopWithSigterm()).as("output %s %s", first.out(), first.err()).isZero();
  }

  @Test
  void aBadOptionExitsWithStatus2AndOneLineNamingIt() throws Exception {
    Child child = new Child("--in-memory", "--failure-rate", "2");

    assertThat(child.awaitExit()).isEqualTo(2);
    assertThat(child.err())
        .containsExactly(
            "orderly: --failure-rate must be a number from 0 to 1 (such as 0.2) or a percentage"
                + " (such as 20%), was '2'");
    assertThat(child.out()).isEmpty();
  }

  @Test
  void versionAndHelpPrintAndExitWith0() throws Exception {
    Child version = new Child("--version");
    assertThat(version.awaitExit()).isZero();
    assertThat(version.out()).hasSize(1);
    assertThat(version.out().get(0)).startsWith("Orderly ");

    Child help = new Child("--help");
    assertThat(help.awaitExit()).isZero();
    assertThat(help.out()).contains("  --db-url <jdbc-url>            ORDERLY_DB_URL");

    Child loadHelp = new Child("load", "--help");
    assertThat(loadHelp.awaitExit()).isZero();
    assertThat(loadHelp.out()).anySatisfy(line -> assertThat(line).contains("--url URL"));
  }

  @Test
  void theJarCarriesItsManifestAndLoggingConfiguration() throws IOException {
    try (var jarFile = new java.util.jar.JarFile(jar().toFile())) {
      var attributes = jarFile.getManifest().getMainAttributes();
      assertThat(attributes.getValue("Main-Class")).isEqualTo(Main.class.getName());
      assertThat(attributes.getValue("Automatic-Module-Name")).isEqualTo("dev.orderly.server");
      assertThat(entry(jarFile, "META-INF/services/ch.qos.logback.classic.spi.Configurator"))
          .contains(LogConfigurator.class.getName());
      assertThat(jarFile.getEntry("module-info.class")).isNull();
      assertThat(jarFile.stream().map(e -> e.getName()).filter(n -> n.endsWith(".SF"))).isEmpty();
      assertThat(entry(jarFile, "META-INF/services/java.lang.System$LoggerFinder"))
          .contains("org.slf4j.jdk.platform.logging.SLF4JSystemLoggerFinder");
    }
    assertThat(Files.size(jar())).isPositive();
  }

  private static String entry(java.util.jar.JarFile jarFile, String name) throws IOException {
    return new String(
        jarFile.getInputStream(jarFile.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
  }
}
