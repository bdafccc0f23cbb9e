package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.ThreadCache;
import org.junit.jupiter.api.Test;

/**
 * Grizzly's classes take the enlarged caches. Each case runs in a fresh JVM: once a class has been
 * initialised in a JVM, its cache size is fixed there, whatever asks later.
 */
class GrizzlyObjectCachesTest {

  private static final List<String> CACHED =
      List.of(
          "org.glassfish.grizzly.http.server.Request",
          "org.glassfish.grizzly.http.HttpServerFilter$ServerHttpRequestImpl");

  @Test
  void theRequestClassesUseTheEnlargedCaches() throws Exception {
    assertThat(cacheSizesInAFreshJvm(true))
        .containsExactly(GrizzlyObjectCaches.PER_THREAD, GrizzlyObjectCaches.PER_THREAD);
  }

  @Test
  void withoutItGrizzlyKeepsSixteenOfEach() throws Exception {
    assertThat(cacheSizesInAFreshJvm(false)).containsExactly(16, 16);
  }

  private static List<Integer> cacheSizesInAFreshJvm(boolean enlarge)
      throws IOException, InterruptedException {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName(),
                String.valueOf(enlarge))
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    return output.lines().filter(line -> line.matches("\\d+")).map(Integer::valueOf).toList();
  }

  /** Initialises the cached classes, after enlarging their caches or not; prints their sizes. */
  static final class Child {
    public static void main(String[] args) throws ClassNotFoundException {
      if (Boolean.parseBoolean(args[0])) {
        GrizzlyObjectCaches.enlarge();
      }
      for (String name : CACHED) {
        // Initialising the class runs its own request for a cache of 16.
        Class<?> type = Class.forName(name, true, Child.class.getClassLoader());
        System.out.println(ThreadCache.obtainIndex(name, type, 1).getSize());
      }
    }
  }
}
