package dev.orderly.persistence;

import dev.orderly.core.order.NewOrder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link EmbeddedDatabaseCrashTest}: the zero-setup default as a server runs it,
 * an embedded database on the folder in {@code args[0]} under a {@link PostgresOrderStore}. Four
 * threads create orders through the store (so through its group commit) and print {@code ack <n>}
 * for order {@code o-<n>} once its create has returned, until the JVM is killed (or, should the
 * parent be gone, for at most a minute).
 */
public final class EmbeddedDatabaseCrashChild {

  static final String ACK = "ack ";
  private static final Duration LIFETIME = Duration.ofMinutes(1);
  private static final int CALLERS = 4;

  private EmbeddedDatabaseCrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
    PostgresOrderStore store =
        PostgresOrderStore.builder(database.jdbcUrl(), database.user(), database.password())
            .poolSize(CALLERS + 2)
            .build();
    long deadline = System.nanoTime() + LIFETIME.toNanos();
    AtomicLong next = new AtomicLong();
    Thread[] callers = new Thread[CALLERS];
    for (int i = 0; i < CALLERS; i++) {
      callers[i] =
          new Thread(
              () -> {
                while (System.nanoTime() - deadline < 0) {
                  long n = next.incrementAndGet();
                  store.create(
                      NewOrder.of("o-" + n, "user", List.of("sku"), BigDecimal.ONE), Instant.now());
                  // Printed only once create has returned: the order is acknowledged.
                  synchronized (System.out) {
                    System.out.println(ACK + n);
                    System.out.flush();
                  }
                }
              });
      callers[i].start();
    }
    for (Thread caller : callers) {
      caller.join();
    }
    store.close();
    database.close();
  }
}
