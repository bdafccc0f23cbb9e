package dev.orderly.server;

import dev.orderly.core.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded jar running in a child JVM, as users run it, for the reliability scenarios: started,
 * waited for, measured (resident memory from {@code /proc}) and stopped with SIGTERM or SIGKILL.
 * Output goes to files, not pipes. Not thread-safe.
 */
final class ChildServer implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");

  private final Process process;
  private final Path out;
  private final Path err;

  private ChildServer(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code java -Xmx<heap> -jar order-server.jar args}, logging into {@code logs/name.*}.
   */
  static ChildServer start(Path logs, String name, String heap, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(logs.toFile())
            .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
            .redirectError(ProcessBuilder.Redirect.to(err.toFile()));
    builder.environment().keySet().removeIf(variable -> variable.startsWith("ORDERLY_"));
    try {
      return new ChildServer(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("orderly.server.jar", "target/order-server.jar"));
    if (!Files.exists(jar)) {
      throw new AssertionError("the shaded jar is missing; run package first: " + jar);
    }
    return jar;
  }

  /** Waits for the ready line and returns the server's base URI. */
  URI awaitListening() {
    Await.until(
        "the server says it listens",
        START_DEADLINE,
        () -> listeningUri().isPresent() || !process.isAlive(),
        () -> "; output: " + output());
    return listeningUri().orElseThrow(() -> new AssertionError("the server exited: " + output()));
  }

  private Optional<URI> listeningUri() {
    for (String line : lines(out)) {
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        return Optional.of(URI.create(matcher.group(1)));
      }
    }
    return Optional.empty();
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The child's resident set size in KiB, from {@code /proc/<pid>/status}; 0 when unknown. */
  long residentKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process has just exited.
    }
    return 0;
  }

  /** SIGKILL, as a crash or an OOM killer would: nothing runs in the child afterwards. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the killed server did not exit");
    }
  }

  /** SIGTERM; returns the exit status, or fails when the child does not exit within the limit. */
  int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the server did not stop within " + limit + ": " + output());
    }
    return process.exitValue();
  }

  String output() {
    return String.join("\n", lines(out)) + "\n" + String.join("\n", lines(err));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
