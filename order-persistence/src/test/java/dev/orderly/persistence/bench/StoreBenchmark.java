package dev.orderly.persistence.bench;

import dev.orderly.core.OrderEngine;
import dev.orderly.core.OrderListener;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.persistence.PostgresOrderStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the PostgreSQL store: creates through the store API from many concurrent callers, and
 * the drain of pre-created orders by an engine with a no-op processor. A benchmark, not a test: run
 * it with {@code bench/store-benchmark.sh}, which also measures pgbench on the same database.
 *
 * <p>Arguments: JDBC URL, user, password, callers, orders to create, orders to drain, workers, and
 * optionally the engine's claim batch size.
 */
public final class StoreBenchmark {

  /** Orders drained, and not counted, before the measured drain. */
  private static final int WARM_UP_DRAIN = 20_000;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    int callers = Integer.parseInt(args[3]);
    int creates = Integer.parseInt(args[4]);
    int drain = Integer.parseInt(args[5]);
    int workers = Integer.parseInt(args[6]);
    int claimBatch =
        args.length > 7 ? Integer.parseInt(args[7]) : OrderEngine.DEFAULT_CLAIM_BATCH_SIZE;
    String schema = "bench_" + Long.toHexString(System.nanoTime());
    try (PostgresOrderStore store =
        PostgresOrderStore.builder(url, user, password)
            .schema(schema)
            .poolSize(Math.max(10, workers + 4))
            .build()) {
      createConcurrently(store, callers, Math.min(2_000, creates), "warm-up ");
      double createRate = createConcurrently(store, callers, creates, "");
      System.out.printf(
          "create: %d callers, %d orders, %.0f orders/s%n", callers, creates, createRate);

      // The drain's own code paths are compiled first, as in a server that has been running: in a
      // cold JVM the JIT compiler took a fifth of the machine during the drain (perf).
      drain(store, "warm-", Math.min(WARM_UP_DRAIN, drain), workers, claimBatch);
      double drainRate = drain(store, "drain-", drain, workers, claimBatch);
      System.out.printf(
          "drain: %d workers, claim batch %d, %d orders, %.0f orders/s%n",
          workers, claimBatch, drain, drainRate);
    } finally {
      try (var connection = java.sql.DriverManager.getConnection(url, user, password);
          var statement = connection.createStatement()) {
        statement.execute("drop schema if exists " + schema + " cascade");
      }
    }
  }

  /**
   * Stores {@code orders} new orders, then drains every Pending order with a fresh engine and a
   * no-op processor; answers orders drained per second.
   */
  private static double drain(
      PostgresOrderStore store, String prefix, int orders, int workers, int claimBatch)
      throws InterruptedException {
    List<NewOrder> batch = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      batch.add(NewOrder.of(prefix + i, "user-" + (i % 100), List.of("sku-" + i), BigDecimal.TEN));
    }
    store.createAll(batch, Instant.now());
    // Everything stored is drained, the orders of the create run included.
    long toDrain = store.statistics().total() - store.statistics().completedCount();
    // Counted as the engine hears its completions commit: polling the store's statistics every
    // few milliseconds took CPU from the drain it measured.
    CountDownLatch drained = new CountDownLatch(Math.toIntExact(toDrain));
    long start = System.nanoTime();
    long elapsed;
    try (OrderEngine engine =
        OrderEngine.builder(store, order -> {})
            .workers(workers)
            .claimBatchSize(claimBatch)
            .listener(
                new OrderListener() {
                  @Override
                  public void completed(Order order) {
                    drained.countDown();
                  }
                })
            .build()) {
      engine.start();
      if (!drained.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(drained.getCount() + " orders not drained in 10 minutes");
      }
      elapsed = System.nanoTime() - start;
    }
    return toDrain / (elapsed / 1e9);
  }

  private static double createConcurrently(
      PostgresOrderStore store, int callers, int orders, String prefix) throws Exception {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(callers);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    String run = prefix.isEmpty() ? "c-" : "w-";
    long start = System.nanoTime();
    for (int c = 0; c < callers; c++) {
      pool.execute(
          () -> {
            int i;
            while ((i = next.getAndIncrement()) < orders) {
              store.create(
                  NewOrder.of(run + i, "user-" + (i % 100), List.of("sku-" + i), BigDecimal.TEN),
                  Instant.now());
            }
            done.countDown();
          });
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return orders / seconds;
  }
}
