package dev.orderly.core;

import static dev.orderly.core.testing.OrderFixtures.anOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.metrics.NodeMetrics;
import dev.orderly.core.metrics.OrderMetrics;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.processing.OrderProcessor;
import dev.orderly.core.processing.PermanentFailureException;
import dev.orderly.core.processing.RetryPolicy;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.store.Lease;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.Subscription;
import dev.orderly.core.testing.Await;
import dev.orderly.core.testing.ForwardingOrderStore;
import dev.orderly.core.testing.LoggedWarnings;
import dev.orderly.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderEngineTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RetryPolicy NO_JITTER =
      RetryPolicy.exponential(4, Duration.ofSeconds(1), Duration.ofSeconds(10)).withJitter(0);

  private final MutableClock clock = new MutableClock();
  private final InMemoryOrderStore store = new InMemoryOrderStore();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<OrderEngine> engines = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(OrderEngine::close);
  }

  private OrderEngine.Builder engine(OrderProcessor processor) {
    return OrderEngine.builder(store, processor)
        .clock(clock)
        .nodeId("node-1")
        .leaseDuration(LEASE)
        .retryPolicy(NO_JITTER)
        .listener(new RecordingListener());
  }

  private OrderEngine track(OrderEngine engine) {
    engines.add(engine);
    return engine;
  }

  private Order stored(NewOrder order) {
    return store.find(order.orderId()).orElseThrow();
  }

  private final class RecordingListener implements OrderListener {
    @Override
    public void created(Order order) {
      events.add("created " + order.orderId());
    }

    @Override
    public void started(Order order) {
      events.add("started " + order.orderId() + " #" + order.attempts());
    }

    @Override
    public void completed(Order order) {
      events.add("completed " + order.orderId());
    }

    @Override
    public void retryScheduled(Order order, Throwable error) {
      events.add("retry " + order.orderId() + " at +" + secondsSinceStart(order) + "s");
    }

    @Override
    public void failed(Order order, Throwable error) {
      events.add("failed " + order.orderId() + ": " + error.getMessage());
    }

    private long secondsSinceStart(Order order) {
      return Duration.between(MutableClock.START, order.nextAttemptAt()).toSeconds();
    }
  }

  @Test
  void oneRoundByHandProcessesEveryDueOrder() {
    OrderEngine engine = track(engine(order -> {}).build());
    NewOrder first = anOrder().withId("a").build();
    NewOrder second = anOrder().withId("b").build();
    engine.submit(first);
    clock.advance(Duration.ofSeconds(1));
    engine.submit(second);
    clock.advance(Duration.ofSeconds(2));

    assertThat(engine.runOnce()).isEqualTo(2);

    Order completed = stored(first);
    assertThat(completed.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(completed.processedBy()).isEqualTo("node-1");
    assertThat(completed.processingTime()).contains(Duration.ofSeconds(3));
    assertThat(stored(second).status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(events)
        .containsExactly(
            "created a", "created b", "started a #1", "completed a", "started b #1", "completed b");
    assertThat(engine.runOnce()).isZero();
  }

  @Test
  void failuresAreRetriedOnTheBackoffScheduleThenFailForGood() {
    AtomicInteger calls = new AtomicInteger();
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      throw new IllegalStateException("warehouse down #" + calls.incrementAndGet());
                    })
                .build());
    NewOrder order = anOrder().withId("x").build();
    engine.submit(order);

    assertThat(engine.runOnce()).isEqualTo(1);
    assertThat(stored(order).nextAttemptAt()).isEqualTo(MutableClock.START.plusSeconds(1));
    clock.advance(Duration.ofMillis(999));
    assertThat(engine.runOnce()).as("not due before the first backoff").isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(engine.runOnce()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(engine.runOnce()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(4));
    assertThat(engine.runOnce()).isEqualTo(1);

    Order failed = stored(order);
    assertThat(failed.status()).isEqualTo(OrderStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(4);
    assertThat(failed.lastError()).isEqualTo("warehouse down #4");
    assertThat(failed.completedAt()).isEqualTo(MutableClock.START.plusSeconds(7));
    assertThat(events)
        .containsExactly(
            "created x",
            "started x #1",
            "retry x at +1s",
            "started x #2",
            "retry x at +3s",
            "started x #3",
            "retry x at +7s",
            "started x #4",
            "failed x: warehouse down #4");
    clock.advance(Duration.ofHours(1));
    assertThat(engine.runOnce()).isZero();
    assertThat(calls).hasValue(4);
  }

  @Test
  void backoffIsCappedAtTheMaximumDelay() {
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      throw new IllegalStateException("down");
                    })
                .retryPolicy(
                    RetryPolicy.exponential(10, Duration.ofSeconds(4), Duration.ofSeconds(10))
                        .withJitter(0))
                .build());
    NewOrder order = anOrder().build();
    engine.submit(order);

    engine.runOnce();
    assertThat(stored(order).nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(4));
    clock.set(stored(order).nextAttemptAt());
    engine.runOnce();
    assertThat(stored(order).nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(8));
    clock.set(stored(order).nextAttemptAt());
    engine.runOnce();
    assertThat(stored(order).nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(10));
  }

  @Test
  void anOrderThatSucceedsOnARetryCompletes() {
    AtomicInteger calls = new AtomicInteger();
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("flaky");
                      }
                    })
                .build());
    NewOrder order = anOrder().build();
    engine.submit(order);

    engine.runOnce();
    clock.advance(Duration.ofSeconds(1));
    engine.runOnce();
    clock.advance(Duration.ofSeconds(2));
    engine.runOnce();

    Order completed = stored(order);
    assertThat(completed.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(completed.attempts()).isEqualTo(3);
    assertThat(completed.lastError()).isEqualTo("flaky");
    assertThat(completed.queueWait()).contains(Duration.ZERO);
    assertThat(completed.processingTime()).contains(Duration.ofSeconds(3));
  }

  @Test
  void theStoredErrorIsTheExceptionsMessageAndNeverItsClass() {
    List<Exception> failures =
        List.of(
            new IllegalStateException("warehouse down"),
            new RuntimeException(new java.io.IOException("disk full")),
            new IllegalStateException(),
            new UnsupportedOperationException(" "));
    List<String> stored = new ArrayList<>();
    List<Throwable> heard = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      throw failures.get(calls.getAndIncrement());
                    })
                .listener(
                    new OrderListener() {
                      @Override
                      public void retryScheduled(Order order, Throwable error) {
                        heard.add(error);
                      }

                      @Override
                      public void failed(Order order, Throwable error) {
                        heard.add(error);
                      }
                    })
                .build());
    NewOrder order = anOrder().build();
    engine.submit(order);

    for (int attempt = 0; attempt < failures.size(); attempt++) {
      assertThat(engine.runOnce()).isEqualTo(1);
      stored.add(stored(order).lastError());
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(stored)
        .containsExactly("warehouse down", "disk full", "processing failed", "processing failed");
    assertThat(stored).noneMatch(error -> error.contains("Exception") || error.contains("java."));
    assertThat(stored(order).status()).isEqualTo(OrderStatus.FAILED);
    assertThat(heard).as("listeners still get the exception itself").isEqualTo(failures);
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      throw new PermanentFailureException("card declined");
                    })
                .build());
    NewOrder order = anOrder().build();
    engine.submit(order);

    engine.runOnce();

    Order failed = stored(order);
    assertThat(failed.status()).isEqualTo(OrderStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError()).isEqualTo("card declined");
  }

  @Test
  void aRetriedFailedOrderGetsOneMoreAttempt() {
    AtomicInteger calls = new AtomicInteger();
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      if (calls.incrementAndGet() == 1) {
                        throw new PermanentFailureException("out of stock");
                      }
                    })
                .build());
    NewOrder order = anOrder().build();
    engine.submit(order);
    engine.runOnce();

    Order retried = engine.retry(order.orderId());
    assertThat(retried.status()).isEqualTo(OrderStatus.PENDING);
    engine.runOnce();

    assertThat(stored(order).status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(stored(order).attempts()).isEqualTo(2);
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldHolderIsFencedOff() {
    OrderEngine engine = track(engine(order -> {}).build());
    NewOrder order = anOrder().build();
    engine.submit(order);
    ClaimedOrder crashed = store.claimDue("crashed-node", 1, clock.instant(), LEASE).get(0);

    clock.advance(LEASE.minusMillis(1));
    assertThat(engine.runOnce()).as("lease still held").isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(engine.runOnce()).isEqualTo(1);

    Order completed = stored(order);
    assertThat(completed.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(completed.attempts()).isEqualTo(2);
    assertThat(completed.processedBy()).isEqualTo("node-1");
    assertThat(store.complete(crashed.lease(), clock.instant())).isFalse();
  }

  @Test
  void aRunningOrderKeepsItsLeaseWhileItIsRenewed() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      running.countDown();
                      finish.await();
                    })
                .workers(1)
                .build());
    engine.start();
    NewOrder order = anOrder().build();
    engine.submit(order);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    clock.advance(Duration.ofSeconds(20));
    assertThat(engine.renewLeases()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(20));
    assertThat(store.reclaimExpired(clock.instant(), 5))
        .as("renewed 20 s in, the lease holds until 50 s")
        .isZero();
    finish.countDown();

    Await.until("the order completes", WAIT, () -> stored(order).status() == OrderStatus.COMPLETED);
    assertThat(stored(order).attempts()).isEqualTo(1);
  }

  @Test
  void withoutRenewalTheLeaseOfARunningOrderExpiresAndTheLateOutcomeIsDiscarded() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      if (calls.incrementAndGet() == 1) {
                        running.countDown();
                        finish.await();
                      }
                    })
                .workers(1)
                .build());
    engine.start();
    NewOrder order = anOrder().build();
    engine.submit(order);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    clock.advance(LEASE);
    assertThat(store.reclaimExpired(clock.instant(), 5)).isEqualTo(1);
    finish.countDown();

    Await.until(
        "the order completes on a second attempt",
        WAIT,
        () -> stored(order).status() == OrderStatus.COMPLETED);
    assertThat(stored(order).attempts())
        .as("the first attempt's late completion was rejected")
        .isEqualTo(2);
    assertThat(calls).hasValue(2);
  }

  @Test
  void submittedOrdersReachAWorkerWithoutWaitingForAPoll() {
    AtomicInteger polls = new AtomicInteger();
    AtomicInteger handOffClaims = new AtomicInteger();
    OrderStore watched =
        new ForwardingOrderStore(store) {
          @Override
          public List<ClaimedOrder> claimDue(
              String owner, int limit, Instant now, Duration leaseDuration) {
            List<ClaimedOrder> claimed = super.claimDue(owner, limit, now, leaseDuration);
            // Counted once the claim is over: a poll still running could take the submitted order.
            polls.incrementAndGet();
            return claimed;
          }

          @Override
          public List<ClaimedOrder> claimByIds(
              Collection<OrderId> ids, String owner, Instant now, Duration leaseDuration) {
            List<ClaimedOrder> claimed = super.claimByIds(ids, owner, now, leaseDuration);
            handOffClaims.addAndGet(claimed.size());
            return claimed;
          }

          @Override
          public Subscription onOrdersAvailable(Runnable listener) {
            return () -> {};
          }
        };
    OrderEngine engine =
        track(
            OrderEngine.builder(watched, order -> {})
                .clock(clock)
                .pollInterval(Duration.ofHours(1))
                .build());
    engine.start();
    Await.until("the poll at start is done", WAIT, () -> polls.get() == 1);
    NewOrder order = anOrder().build();

    engine.submit(order);

    Await.until("the order completes", WAIT, () -> stored(order).status() == OrderStatus.COMPLETED);
    assertThat(handOffClaims).hasValue(1);
    assertThat(polls).as("no poll besides the one at start").hasValue(1);
  }

  @Test
  void ordersAcceptedByAClientNodeAreProcessedByAnEngineNode() {
    OrderEngine engine = track(engine(order -> {}).pollInterval(Duration.ofMillis(20)).build());
    engine.start();
    OrderClient client = OrderClient.create(store, clock);
    NewOrder order = anOrder().build();

    client.submit(order);

    Await.until("the order completes", WAIT, () -> stored(order).status() == OrderStatus.COMPLETED);
    assertThat(stored(order).processedBy()).isEqualTo("node-1");
  }

  @Test
  void closeWaitsForRunningOrdersToFinish() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      running.countDown();
                      finish.await();
                    })
                .workers(1)
                .shutdownTimeout(Duration.ofSeconds(30))
                .build());
    engine.start();
    NewOrder order = anOrder().build();
    engine.submit(order);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(engine::close);
    closer.start();
    Await.until("close begins", WAIT, () -> !engine.isRunning());
    assertThat(closer.isAlive()).as("close waits for the running order").isTrue();
    finish.countDown();
    closer.join(WAIT.toMillis());

    assertThat(closer.isAlive()).isFalse();
    assertThat(stored(order).status()).isEqualTo(OrderStatus.COMPLETED);
  }

  @Test
  void closeReleasesWhatItCannotFinishSoAnotherNodeTakesItAtOnce() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      running.countDown();
                      new CountDownLatch(1).await();
                    })
                .workers(1)
                .shutdownTimeout(Duration.ofMillis(50))
                .build());
    engine.start();
    NewOrder order = anOrder().build();
    engine.submit(order);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    engine.close();

    Order released = stored(order);
    assertThat(released.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(released.nextAttemptAt()).isEqualTo(clock.instant());
    OrderEngine next = track(engine(o -> {}).nodeId("node-2").build());
    assertThat(next.runOnce()).isEqualTo(1);
    assertThat(stored(order).status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(stored(order).processedBy()).isEqualTo("node-2");
  }

  @Test
  void anEngineStartsOnceAndClosesIdempotently() {
    OrderEngine engine = track(engine(order -> {}).build());
    engine.start();

    assertThatThrownBy(engine::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node-1");
    engine.close();
    engine.close();
    assertThat(engine.isRunning()).isFalse();
    assertThatThrownBy(engine::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theBuilderNamesTheOptionAndTheValueItRejects() {
    assertThatThrownBy(() -> engine(order -> {}).workers(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 1, was 0");
    assertThatThrownBy(() -> engine(order -> {}).claimBatchSize(-1).build())
        .hasMessage("claimBatchSize must be >= 1, was -1");
    assertThatThrownBy(() -> engine(order -> {}).leaseDuration(Duration.ZERO).build())
        .hasMessage("leaseDuration must be positive, was PT0S");
    assertThatThrownBy(() -> engine(order -> {}).pollInterval(Duration.ofSeconds(-1)).build())
        .hasMessage("pollInterval must be positive, was PT-1S");
    assertThatThrownBy(() -> engine(order -> {}).nodeId(" ").build())
        .hasMessageContaining("nodeId");
  }

  @Test
  void aListenerThatThrowsDoesNotStopProcessing() {
    OrderEngine engine =
        track(
            engine(order -> {})
                .listener(
                    new OrderListener() {
                      @Override
                      public void started(Order order) {
                        throw new IllegalStateException("bad listener");
                      }
                    })
                .build());
    NewOrder order = anOrder().build();
    engine.submit(order);

    try (LoggedWarnings warnings = LoggedWarnings.of("dev.orderly.core.internal.Listeners")) {
      engine.runOnce();

      assertThat(warnings.messages()).singleElement().asString().contains("listener", "failed");
    }
    assertThat(stored(order).status()).isEqualTo(OrderStatus.COMPLETED);
  }

  @Test
  void metricsReportTheStoreAndThisNode() {
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      if (order.orderId().equals(OrderId.of("bad"))) {
                        throw new PermanentFailureException("no");
                      }
                      clock.advance(Duration.ofSeconds(2));
                    })
                .build());
    engine.submit(anOrder().withId("a").build());
    engine.submit(anOrder().withId("bad").build());
    clock.advance(Duration.ofSeconds(1));
    engine.submit(anOrder().withId("c").build());
    engine.submit(anOrder().withId("pending-later").build());
    store.cancel(OrderId.of("pending-later"), clock.instant());

    engine.runOnce();

    OrderMetrics metrics = engine.metrics();
    assertThat(metrics.store().statusCounts().of(OrderStatus.COMPLETED)).isEqualTo(2);
    assertThat(metrics.store().statusCounts().of(OrderStatus.FAILED)).isEqualTo(1);
    assertThat(metrics.store().statusCounts().of(OrderStatus.CANCELLED)).isEqualTo(1);
    // a: created 0 s, done 3 s; c: created 1 s, done 5 s.
    assertThat(metrics.store().meanProcessingTime()).contains(Duration.ofMillis(3_500));
    NodeMetrics node = metrics.node();
    assertThat(node.nodeId()).isEqualTo("node-1");
    assertThat(node.completed()).isEqualTo(2);
    assertThat(node.failed()).isEqualTo(1);
    assertThat(node.retried()).isZero();
    assertThat(node.inFlight()).isZero();
    assertThat(node.processingTime().count()).isEqualTo(2);
    assertThat(node.processingTime().p50()).isEqualTo(Duration.ofSeconds(3));
    assertThat(node.processingTime().max()).isEqualTo(Duration.ofSeconds(4));
    // a and bad waited 1 s (claimed at 1 s), c waited 0 s.
    assertThat(node.queueWait().count()).isEqualTo(3);
    assertThat(node.queueWait().max()).isEqualTo(Duration.ofSeconds(1));
    assertThat(node.throughputPerSecond()).isEqualTo(2 / 60.0);
  }

  @Test
  void aLeaseLostMidRunIsReportedAsNotRenewed() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      running.countDown();
                      finish.await();
                    })
                .workers(1)
                // Longer than the run lasts, so the engine still claims an order ahead of it.
                .pollInterval(Duration.ofMinutes(1))
                .build());
    engine.start();
    NewOrder order = anOrder().build();
    engine.submit(order);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    // The stale run's lease is reported lost (by this renewal, or by the engine's own in between).
    try (LoggedWarnings lostLease = LoggedWarnings.of("dev.orderly.core.internal.Dispatcher")) {
      clock.advance(LEASE);
      store.reclaimExpired(clock.instant(), 5);
      // The order is due again, and this engine has room to claim it while the stale run goes on.
      Await.until(
          "the order is claimed again",
          Duration.ofSeconds(10),
          () -> store.find(order.orderId()).orElseThrow().attempts() == 2);

      // Two runs are in flight, but only the second attempt's lease is current.
      assertThat(engine.metrics().node().inFlight()).isEqualTo(2);
      assertThat(engine.renewLeases()).isEqualTo(1);
      assertThat(lostLease.messages())
          .isNotEmpty()
          .allSatisfy(message -> assertThat(message).contains("lease lost"));
    }
    finish.countDown();
    Await.until(
        "the second attempt completes",
        Duration.ofSeconds(10),
        () -> store.find(order.orderId()).orElseThrow().status() == OrderStatus.COMPLETED);
  }

  /** A store whose batched completions wait until {@link #open} counts down. */
  private final class SlowCompletions extends ForwardingOrderStore {
    final CountDownLatch open = new CountDownLatch(1);
    final AtomicInteger writtenByWorkers = new AtomicInteger();

    SlowCompletions() {
      super(store);
    }

    @Override
    public List<Lease> completeAll(Collection<Lease> leases, Instant now) {
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.completeAll(leases, now);
    }

    @Override
    public boolean complete(Lease lease, Instant now) {
      if (Thread.currentThread().getName().startsWith("orderly-worker-")) {
        writtenByWorkers.incrementAndGet();
      }
      return super.complete(lease, now);
    }
  }

  @Test
  void aWorkerRunsTheNextOrderWhileItsLastCompletionIsBeingWritten() {
    SlowCompletions slow = new SlowCompletions();
    AtomicInteger started = new AtomicInteger();
    OrderEngine engine =
        track(
            OrderEngine.builder(slow, order -> started.incrementAndGet())
                .clock(clock)
                .workers(1)
                .pollInterval(Duration.ofHours(1))
                .build());
    engine.start();
    // One worker and four orders claimed ahead of it: the sixth run needs a slot that a completion
    // in progress would hold if slots were freed only once completions commit.
    List<NewOrder> orders = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      orders.add(anOrder().build());
    }

    orders.forEach(engine::submit);

    Await.until("every order ran", WAIT, () -> started.get() == orders.size());
    slow.open.countDown();
    Await.until(
        "every order completes",
        WAIT,
        () -> orders.stream().allMatch(o -> stored(o).status() == OrderStatus.COMPLETED));
  }

  @Test
  void workersWriteTheirOwnCompletionsWhenTheCompleterFallsFarBehind() {
    SlowCompletions slow = new SlowCompletions();
    OrderEngine engine =
        track(
            OrderEngine.builder(slow, order -> {})
                .clock(clock)
                .workers(2)
                .pollInterval(Duration.ofHours(1))
                .build());
    engine.start();
    // More than the completer may hold waiting (4,000 runs).
    List<NewOrder> orders = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      orders.add(anOrder().build());
    }

    engine.submitAll(orders);

    Await.until(
        "a worker writes a completion itself while the completer is stuck",
        WAIT,
        () -> slow.writtenByWorkers.get() > 0);
    slow.open.countDown();
    awaitAllCompleted(engine, orders);
  }

  @Test
  void aBacklogOfHandedOffOrdersIsClaimedInBatchesNotASlotAtATime() {
    List<Integer> claimSizes = new CopyOnWriteArrayList<>();
    OrderStore watched =
        new ForwardingOrderStore(store) {
          @Override
          public List<ClaimedOrder> claimByIds(
              Collection<OrderId> ids, String owner, Instant now, Duration leaseDuration) {
            claimSizes.add(ids.size());
            return super.claimByIds(ids, owner, now, leaseDuration);
          }
        };
    OrderEngine engine = oneWorkerWithoutTimedPolls(watched);
    List<NewOrder> orders = newOrders(200);
    engine.start();

    engine.submitAll(orders);

    awaitAllCompleted(engine, orders);
    assertClaimedInBatches(claimSizes);
  }

  @Test
  void aBacklogInTheStoreKeepsBeingClaimedAsSlotsFreeWithoutWaitingForTimedPolls() {
    List<Integer> claimSizes = new CopyOnWriteArrayList<>();
    OrderStore watched =
        new ForwardingOrderStore(store) {
          @Override
          public List<ClaimedOrder> claimDue(
              String owner, int limit, Instant now, Duration leaseDuration) {
            List<ClaimedOrder> claimed = super.claimDue(owner, limit, now, leaseDuration);
            claimSizes.add(claimed.size());
            return claimed;
          }
        };
    List<NewOrder> orders = newOrders(200);
    store.createAll(orders, clock.instant());
    OrderEngine engine = oneWorkerWithoutTimedPolls(watched);

    engine.start();

    // Only the poll at start is timed: the rest of the backlog is claimed as workers free slots.
    awaitAllCompleted(engine, orders);
    assertClaimedInBatches(claimSizes);
  }

  @Test
  void aWorkerOnARunLongerThanAPollIntervalHoldsNoOrdersClaimedAheadOfIt() throws Exception {
    CountDownLatch longRunStarted = new CountDownLatch(1);
    CountDownLatch finishLongRun = new CountDownLatch(1);
    Duration pollInterval = Duration.ofSeconds(5);
    OrderEngine engine =
        track(
            engine(
                    order -> {
                      if (order.orderId().value().equals("long")) {
                        longRunStarted.countDown();
                        finishLongRun.await();
                      }
                    })
                .workers(1)
                .pollInterval(pollInterval)
                .build());
    engine.start();
    NewOrder longOrder = anOrder().withId("long").build();
    engine.submit(longOrder);
    assertThat(longRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
    List<NewOrder> behind = newOrders(4);

    behind.forEach(engine::submit);

    Await.until(
        "while the run is young, the orders behind it are claimed ahead",
        WAIT,
        () -> behind.stream().allMatch(order -> stored(order).status() == OrderStatus.PROCESSING));

    clock.advance(pollInterval.plusSeconds(1));
    NewOrder late = anOrder().build();
    engine.submit(late);

    Await.until(
        "once it has run longer than a poll interval, they are given back",
        WAIT,
        () -> behind.stream().allMatch(order -> stored(order).status() == OrderStatus.PENDING));
    assertThat(stored(late).status())
        .as("and no order is claimed behind it")
        .isEqualTo(OrderStatus.PENDING);
    assertThat(engine.renewLeases()).as("leases held: the running order's").isEqualTo(1);
    assertThat(stored(longOrder).status()).isEqualTo(OrderStatus.PROCESSING);

    finishLongRun.countDown();
    List<NewOrder> all = new ArrayList<>(behind);
    all.add(longOrder);
    all.add(late);
    awaitAllCompleted(engine, all);
  }

  /** One worker, and no timed poll after the one at start. */
  private OrderEngine oneWorkerWithoutTimedPolls(OrderStore on) {
    return track(
        OrderEngine.builder(on, order -> {})
            .clock(clock)
            .workers(1)
            .pollInterval(Duration.ofHours(1))
            .build());
  }

  private static List<NewOrder> newOrders(int count) {
    List<NewOrder> orders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      orders.add(anOrder().build());
    }
    return orders;
  }

  private static void awaitAllCompleted(OrderEngine engine, List<NewOrder> orders) {
    Await.until(
        "every order completes",
        WAIT,
        () -> engine.metrics().store().completedCount() == orders.size());
  }

  /** One worker and four ahead of it: claims wait for two free slots while more than one waits. */
  private static void assertClaimedInBatches(List<Integer> claimSizes) {
    long single = claimSizes.stream().filter(size -> size == 1).count();
    assertThat(single).as("claims of one order, in %s", claimSizes).isLessThanOrEqualTo(2);
  }
}
