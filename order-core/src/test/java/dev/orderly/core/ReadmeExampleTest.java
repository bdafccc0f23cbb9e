package dev.orderly.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.testing.Await;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's embedding example honest: its code is the code of {@link ReadmeExample}, and
 * that code runs.
 */
class ReadmeExampleTest {

  private static final String README_START = "<!-- embedding-example:start -->";
  private static final String README_END = "<!-- embedding-example:end -->";
  private static final String SOURCE_START = "// readme:start";
  private static final String SOURCE_END = "// readme:end";
  private static final Path EXAMPLE_SOURCE =
      Path.of("order-core", "src", "test", "java", "dev", "orderly", "core", "ReadmeExample.java");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final OrderId ORDER_11 = OrderId.of("11");

  @Test
  void readmeExampleIsTheCodeOfReadmeExample() throws IOException {
    List<String> readme = readmeExample();
    List<String> source = Files.readAllLines(repositoryFile(EXAMPLE_SOURCE));
    List<String> readmeImports =
        readme.stream().filter(line -> line.startsWith("import ")).toList();
    List<String> readmeCode = readme.stream().filter(line -> !line.startsWith("import ")).toList();

    assertThat(readmeCode)
        .as("the README's example, imports aside, and the marked lines of " + EXAMPLE_SOURCE)
        .isNotEmpty()
        .containsExactlyElementsOf(normalised(between(source, SOURCE_START, SOURCE_END)));
    List<String> sourceImports =
        normalised(source).stream().filter(line -> line.startsWith("import ")).toList();
    for (String line : readmeImports) {
      assertThat(sourceImports.contains(line) || importsFromPackageOfTheExample(line))
          .as(
              "README line '%s' is imported by %s or names a class of its package",
              line, EXAMPLE_SOURCE)
          .isTrue();
    }
  }

  @Test
  void readmeExampleStoresOrder11AndAFreshEngineShipsIt() {
    InMemoryOrderStore store = ReadmeExample.run();

    // The example closes its engine right after submitting: the order is durable in the store,
    // but whether a worker took it before close() is a race, so either status is right here.
    Order stored = store.find(ORDER_11).orElseThrow();
    assertThat(stored.status()).isIn(OrderStatus.PENDING, OrderStatus.COMPLETED);

    try (OrderEngine engine = OrderEngine.builder(store, order -> {}).workers(8).build()) {
      engine.start();
      Await.until(
          "order 11 is Completed",
          WAIT,
          () -> engine.find(ORDER_11).orElseThrow().status() == OrderStatus.COMPLETED,
          () -> "; it is " + engine.find(ORDER_11));
    }
  }

  @Test
  void engineOfTheReadmeShapeCompletesOrder11() throws InterruptedException {
    InMemoryOrderStore store = new InMemoryOrderStore();
    CountDownLatch completed = new CountDownLatch(1);
    List<String> shipped = new CopyOnWriteArrayList<>();
    try (OrderEngine engine =
        OrderEngine.builder(store, order -> shipped.add("shipping " + order.orderId()))
            .workers(8)
            .leaseDuration(Duration.ofSeconds(30))
            .listener(
                new OrderListener() {
                  @Override
                  public void completed(Order order) {
                    completed.countDown();
                  }
                })
            .build()) {
      engine.start();
      engine.submit(NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00")));

      assertThat(completed.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("order 11 completed within " + WAIT)
          .isTrue();
      assertThat(engine.find(ORDER_11).orElseThrow().status()).isEqualTo(OrderStatus.COMPLETED);
      assertThat(shipped).containsExactly("shipping 11");
    }
  }

  /** The README's example: the lines of the java block between the markers, normalised. */
  private static List<String> readmeExample() throws IOException {
    Path readme = repositoryFile(Path.of("README.md"));
    List<String> marked = between(Files.readAllLines(readme), README_START, README_END);
    List<String> code = new ArrayList<>();
    boolean inFence = false;
    boolean sawFence = false;
    for (String line : marked) {
      String trimmed = line.trim();
      if (trimmed.startsWith("```")) {
        assertThat(inFence || trimmed.equals("```java"))
            .as("the block between the README markers is a ```java block, was '%s'", trimmed)
            .isTrue();
        inFence = !inFence;
        sawFence = true;
      } else if (inFence) {
        code.add(line);
      }
    }
    assertThat(sawFence && !inFence)
        .as("one closed ```java block between the README's markers")
        .isTrue();
    return normalised(code);
  }

  private static List<String> between(List<String> lines, String start, String end) {
    int from = indexOfTrimmed(lines, start);
    int to = indexOfTrimmed(lines, end);
    assertThat(from).as("marker '%s' is present", start).isNotNegative();
    assertThat(to).as("marker '%s' follows '%s'", end, start).isGreaterThan(from);
    return lines.subList(from + 1, to);
  }

  private static int indexOfTrimmed(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    return -1;
  }

  /** Each line with its whitespace trimmed and inner runs collapsed; blank lines dropped. */
  private static List<String> normalised(List<String> lines) {
    return lines.stream()
        .map(line -> line.trim().replaceAll("\\s+", " "))
        .filter(line -> !line.isEmpty())
        .toList();
  }

  private static boolean importsFromPackageOfTheExample(String importLine) {
    String prefix = "import " + ReadmeExample.class.getPackageName() + ".";
    return importLine.startsWith(prefix)
        && importLine.endsWith(";")
        && !importLine.substring(prefix.length()).contains(".");
  }

  /**
   * A file of the repository, found from the working directory: surefire runs in {@code
   * order-core/}, an IDE may run in the repository root.
   */
  private static Path repositoryFile(Path relative) {
    Path workingDirectory = Path.of("").toAbsolutePath();
    List<Path> roots = new ArrayList<>();
    if (workingDirectory.getParent() != null) {
      roots.add(workingDirectory.getParent());
    }
    roots.add(workingDirectory);
    List<Path> tried = new ArrayList<>();
    for (Path root : roots) {
      if (Files.isRegularFile(root.resolve("order-core").resolve("pom.xml"))) {
        Path file = root.resolve(relative);
        if (Files.isRegularFile(file)) {
          return file;
        }
        tried.add(file);
      }
    }
    throw new AssertionError(
        relative + " not found from working directory " + workingDirectory + "; tried " + tried);
  }
}
