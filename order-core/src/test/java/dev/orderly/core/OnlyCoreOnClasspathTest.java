package dev.orderly.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that order-core needs nothing but itself and the JDK: a program compiled and run with only
 * order-core's production classes on its classpath builds an engine over the in-memory store,
 * submits 1,000 orders and sees every one of them Completed.
 */
class OnlyCoreOnClasspathTest {

  private static final long RUN_TIMEOUT_SECONDS = 90;

  /** The program a newcomer would write; it exits 0 once all orders are Completed, else 1. */
  private static final String DEMO =
      """
      import dev.orderly.core.OrderEngine;
      import dev.orderly.core.order.NewOrder;
      import dev.orderly.core.store.InMemoryOrderStore;
      import java.math.BigDecimal;
      import java.util.List;
      import java.util.concurrent.TimeUnit;
      import java.util.concurrent.locks.LockSupport;

      public class Demo {
        public static void main(String[] args) {
          int orders = 1_000;
          long completed = 0;
          InMemoryOrderStore store = new InMemoryOrderStore();
          try (OrderEngine engine = OrderEngine.builder(store, order -> {}).workers(4).build()) {
            engine.start();
            for (int i = 1; i <= orders; i++) {
              engine.submit(
                  NewOrder.of("order-" + i, "user-7", List.of("sku-1"), new BigDecimal("100.00")));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            completed = engine.client().statistics().completedCount();
            while (completed < orders && System.nanoTime() - deadline < 0) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
              completed = engine.client().statistics().completedCount();
            }
          }
          System.out.println("completed=" + completed);
          System.exit(completed == orders ? 0 : 1);
        }
      }
      """;

  @Test
  void programWithOnlyCoreOnItsClasspathCompletesAThousandOrders(@TempDir Path work)
      throws IOException, InterruptedException {
    Path coreClasses = coreClasses();
    Path source = Files.writeString(work.resolve("Demo.java"), DEMO);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK's compiler (tests need a JDK, not a JRE)").isNotNull();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int compiled =
        compiler.run(
            null,
            diagnostics,
            diagnostics,
            "-classpath",
            coreClasses.toString(),
            "-d",
            work.toString(),
            source.toString());
    assertThat(compiled)
        .as("javac with only %s on the classpath: %s", coreClasses, text(diagnostics))
        .isZero();

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(), "-classpath", coreClasses + File.pathSeparator + work, "Demo")
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> copy(process.getInputStream(), output), "demo-output");
    reader.start();
    boolean exited = process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(exited)
        .as("Demo exited within %d s; output so far: %s", RUN_TIMEOUT_SECONDS, text(output))
        .isTrue();
    assertThat(process.exitValue()).as("Demo's exit code; output: %s", text(output)).isZero();
    assertThat(text(output)).contains("completed=1000");
  }

  /** order-core's compiled production classes, from the working directory surefire uses. */
  private static Path coreClasses() {
    Path workingDirectory = Path.of("").toAbsolutePath();
    for (Path candidate :
        List.of(
            workingDirectory.resolve(Path.of("target", "classes")),
            workingDirectory.resolve(Path.of("order-core", "target", "classes")))) {
      if (Files.isRegularFile(
          candidate.resolve(Path.of("dev", "orderly", "core", "OrderEngine.class")))) {
        return candidate;
      }
    }
    throw new AssertionError(
        "order-core's production classes (target/classes with dev/orderly/core/OrderEngine.class)"
            + " not found from working directory "
            + workingDirectory
            + "; build them first, for example with ./mvnw -pl order-core test");
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(ByteArrayOutputStream bytes) {
    // ByteArrayOutputStream is synchronized, so this reads safely while the reader thread writes.
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
