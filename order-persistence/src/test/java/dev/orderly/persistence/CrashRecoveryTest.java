package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.OrderEngine;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node killed mid-run loses nothing: another node finishes its orders once the leases expire. */
class CrashRecoveryTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final int ORDERS = 2_000;
  private static final Duration LEASE = Duration.ofSeconds(2);

  @Test
  void ordersOfAKilledNodeAreFinishedByAnotherExactlyOnce() throws Exception {
    try (PostgresOrderStore store = database.store().build()) {
      TransitionLog.install(database);
      List<NewOrder> orders = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        orders.add(NewOrder.of("o-" + i, "u", List.of("sku"), BigDecimal.ONE));
      }
      store.createAll(orders, java.time.Instant.now());

      Process child = startChild();
      try {
        Await.until(
            "the child has completed some orders",
            Duration.ofSeconds(60),
            () -> !child.isAlive() || store.statistics().completedCount() >= 200);
        assertThat(child.isAlive()).as("the child is still running when killed").isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      long completedByChild = store.statistics().completedCount();
      long inFlightAtKill = store.statistics().statusCounts().of(OrderStatus.PROCESSING);
      assertThat(completedByChild).isLessThan(ORDERS);

      try (OrderEngine rescuer =
          OrderEngine.builder(store, order -> {})
              .workers(4)
              .nodeId("rescuer")
              .pollInterval(Duration.ofMillis(100))
              .build()) {
        rescuer.start();
        Await.until(
            "every order is completed",
            Duration.ofMinutes(2),
            () -> store.statistics().completedCount() == ORDERS,
            () -> store.statistics().statusCounts().toString());
      }

      assertThat(TransitionLog.count(database, "Processing", "Completed")).isEqualTo(ORDERS);
      assertThat(TransitionLog.ordersCompleted(database)).isEqualTo(ORDERS);
      assertThat(TransitionLog.count(database, "Processing", "Pending"))
          .as("the leases the child held when killed were taken back")
          .isEqualTo(inFlightAtKill);
      assertThat(
              TransitionLog.single(
                  database,
                  "select count(*) from orders where last_error like 'lease of node doomed%'"))
          .isEqualTo(inFlightAtKill);
      assertThat(store.statistics().total()).isEqualTo(ORDERS);
    }
  }

  private Process startChild() throws Exception {
    TestDatabase.Server server = TestDatabase.server();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString()));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      // The child logs as this JVM does (warnings only, see logging.properties).
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CrashingNode.class.getName(),
            server.url(),
            server.user(),
            server.password(),
            database.schema(),
            Long.toString(LEASE.toMillis())));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    // Drain the child's output on a thread of its own so it never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = output.readLine()) != null) {
                  System.out.println("[crashing node] " + line);
                }
              } catch (java.io.IOException ignored) {
                // The child was killed; its output ends here.
              }
            });
    drain.setDaemon(true);
    drain.start();
    return child;
  }
}
