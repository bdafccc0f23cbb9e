package dev.orderly.benchmarks;

import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.Lease;
import dev.orderly.persistence.PostgresOrderStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The PostgreSQL store's three hot operations, in orders per second: a single create through the
 * group commit from 16 callers, a claim of a batch of due orders, and the completion of a claimed
 * batch. Each trial runs in a schema of its own, dropped at teardown. Durable commits, as in
 * production: the figures depend on the disk's fsync far more than on the CPU. Run by JMH, which
 * shares each state as its scope says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {

  /** Orders per claim and per completion: the engine's claim-ahead works in batches like this. */
  static final int BATCH = 100;

  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final String OWNER = "bench-node";

  /** The store of one trial, in its own schema. Thread-safe (the store is). */
  @State(Scope.Benchmark)
  public static class Store {
    final BenchDatabase database = new BenchDatabase();
    final Orders orders = new Orders("store-");
    String schema;
    PostgresOrderStore store;

    @Setup(Level.Trial)
    public void open() {
      schema = BenchDatabase.newSchemaName("orderly_bench_store");
      // One connection per caller of the create benchmark, so that callers wait on the group
      // commit rather than on the pool.
      store = database.store(schema).poolSize(20).build();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      store.close();
      database.dropSchema(schema);
    }
  }

  /** A batch of Pending orders, created before each claim and completed after it. */
  @State(Scope.Thread)
  public static class DueBatch {
    List<ClaimedOrder> claimed = List.of();

    @Setup(Level.Invocation)
    public void createBatch(Store store) {
      store.store.createAll(store.orders.next(BATCH), Instant.now());
    }

    @TearDown(Level.Invocation)
    public void completeBatch(Store store) {
      List<Lease> leases = claimed.stream().map(ClaimedOrder::lease).toList();
      store.store.completeAll(leases, Instant.now());
      if (claimed.size() != BATCH) {
        throw new IllegalStateException("claimed " + claimed.size() + " orders, expected " + BATCH);
      }
    }
  }

  /** A batch of claimed orders, ready for completion. */
  @State(Scope.Thread)
  public static class ClaimedBatch {
    List<Lease> leases;
    List<Lease> completed = List.of();

    @Setup(Level.Invocation)
    public void claimBatch(Store store) {
      Instant now = Instant.now();
      store.store.createAll(store.orders.next(BATCH), now);
      leases =
          store.store.claimDue(OWNER, BATCH, now, LEASE).stream().map(ClaimedOrder::lease).toList();
      if (leases.size() != BATCH) {
        throw new IllegalStateException("claimed " + leases.size() + " orders, expected " + BATCH);
      }
    }

    @TearDown(Level.Invocation)
    public void checkCompleted() {
      if (completed.size() != BATCH) {
        throw new IllegalStateException(
            "completed " + completed.size() + " orders, expected " + BATCH);
      }
    }
  }

  /** One durable create, grouped with other callers' creates into one transaction. */
  @Benchmark
  @Threads(16)
  public CreateResult create(Store store) {
    return store.store.create(store.orders.next(), Instant.now());
  }

  /** Claims {@value #BATCH} due orders ({@code FOR UPDATE SKIP LOCKED}); reported per order. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<ClaimedOrder> claim(Store store, DueBatch batch) {
    batch.claimed = store.store.claimDue(OWNER, BATCH, Instant.now(), LEASE);
    return batch.claimed;
  }

  /** Completes {@value #BATCH} claimed orders in one statement; reported per order. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<Lease> complete(Store store, ClaimedBatch batch) {
    batch.completed = store.store.completeAll(batch.leases, Instant.now());
    return batch.completed;
  }
}
