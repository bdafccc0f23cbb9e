package dev.orderly.benchmarks;

import dev.orderly.core.OrderEngine;
import dev.orderly.core.OrderListener;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.store.InMemoryOrderStore;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine's own cost per order, without a database: an {@link OrderEngine} over an {@link
 * InMemoryOrderStore} with a processor that does nothing, in orders per second from {@code
 * submitAll} of a batch until a listener has heard every order complete. Each batch gets a fresh
 * store and engine (built and started outside the measurement), so the heap does not fill up with
 * finished orders over a long run. Run by JMH on one thread per trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class EngineDispatchBenchmark {

  static final int BATCH = 10_000;

  /** A batch that has not completed in this long is a hang, not a slow run. */
  private static final long TIMEOUT_SECONDS = 60;

  /** Held, so the level set on it is not lost when the logger is collected. */
  private static final Logger ENGINE_LOG = Logger.getLogger("dev.orderly");

  @Param({"4"})
  public int workers;

  private final Orders orders = new Orders("engine-");
  private List<NewOrder> batch;
  private volatile CountDownLatch completed;
  private OrderEngine engine;

  @Setup(Level.Trial)
  public void quietEngine() {
    // The engine logs its start and stop at INFO, once per batch here.
    ENGINE_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @Setup(Level.Invocation)
  public void startEngine() {
    batch = orders.next(BATCH);
    completed = new CountDownLatch(BATCH);
    OrderListener countCompletions =
        new OrderListener() {
          @Override
          public void completed(Order order) {
            completed.countDown();
          }
        };
    engine =
        OrderEngine.builder(new InMemoryOrderStore(), order -> {})
            .workers(workers)
            .listener(countCompletions)
            .build();
    engine.start();
  }

  @TearDown(Level.Invocation)
  public void stopEngine() {
    engine.close();
  }

  /** Submits {@value #BATCH} orders and waits until all are Completed; reported per order. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void submitAndComplete() throws InterruptedException {
    engine.submitAll(batch);
    if (!completed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          completed.getCount()
              + " of "
              + BATCH
              + " orders not completed in "
              + TIMEOUT_SECONDS
              + " s");
    }
  }
}
