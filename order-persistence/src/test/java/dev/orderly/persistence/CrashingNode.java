package dev.orderly.persistence;

import dev.orderly.core.OrderEngine;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A node that processes orders until it is killed: the child JVM of {@link CrashRecoveryTest}.
 * Arguments: JDBC URL, user, password, schema, lease in milliseconds.
 */
public final class CrashingNode {

  private CrashingNode() {}

  public static void main(String[] args) throws InterruptedException {
    PostgresOrderStore store =
        PostgresOrderStore.builder(args[0], args[1], args[2])
            .schema(args[3])
            .migrate(false)
            .poolSize(6)
            .build();
    OrderEngine engine =
        OrderEngine.builder(
                store,
                // Simulated business work, slow enough that orders are mid-flight when the kill
                // comes.
                order -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)))
            .workers(4)
            .nodeId("doomed")
            .leaseDuration(Duration.ofMillis(Long.parseLong(args[4])))
            .pollInterval(Duration.ofMillis(100))
            .build();
    engine.start();
    System.out.println("started");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
