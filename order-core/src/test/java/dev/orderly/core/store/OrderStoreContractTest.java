package dev.orderly.core.store;

import static dev.orderly.core.testing.OrderFixtures.anOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import dev.orderly.core.order.IllegalStatusTransitionException;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderNotFoundException;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OrderStore} must have. A store's test extends this class and says how
 * to make an empty store; nothing else. Time is passed in explicitly, so no test waits.
 */
public abstract class OrderStoreContractTest {

  protected static final Instant T0 = MutableClock.START;
  protected static final Duration LEASE = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 5;

  protected OrderStore store;

  /** An empty store; called before each test. */
  protected abstract OrderStore createStore() throws Exception;

  /** Frees what {@link #createStore()} took; called after each test. */
  protected void closeStore(OrderStore store) throws Exception {}

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore(store);
  }

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private Order create(NewOrder order, Instant now) {
    CreateResult result = store.create(order, now);
    assertThat(result.outcome()).isEqualTo(CreateResult.Outcome.CREATED);
    return result.order();
  }

  private Order stored(OrderId orderId) {
    return store.find(orderId).orElseThrow();
  }

  private ClaimedOrder claimOne(String owner, Instant now) {
    List<ClaimedOrder> claimed = store.claimDue(owner, 1, now, LEASE);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  // --- create ---

  @Test
  void itemIdsComeBackExactlyAsGiven() {
    String[] awkward = {
      "plain",
      "with \"quotes\"",
      "back\\slash",
      "a,b",
      "{braces}",
      " spaced ",
      "NULL",
      "null",
      "line\nbreak",
      "tab\there",
      "ünïcödé ✓",
      "'single'"
    };
    NewOrder single = anOrder().withId("awkward-1").withItems(awkward).build();
    NewOrder inBulk = anOrder().withId("awkward-2").withItems(awkward).build();

    store.create(single, T0);
    store.createAll(List.of(inBulk), T0);

    assertThat(store.find(single.orderId()).orElseThrow().itemIds()).containsExactly(awkward);
    assertThat(store.find(inBulk.orderId()).orElseThrow().itemIds()).containsExactly(awkward);
  }

  @Test
  void createdOrderIsPendingAndDueAtOnce() {
    NewOrder order =
        anOrder().withId("11").withUser("u-1").withItems("a", "b").withTotal("100").build();

    CreateResult result = store.create(order, T0);

    assertThat(result.outcome()).isEqualTo(CreateResult.Outcome.CREATED);
    Order created = result.order();
    assertThat(created.orderId()).isEqualTo(OrderId.of("11"));
    assertThat(created.userId()).isEqualTo("u-1");
    assertThat(created.itemIds()).containsExactly("a", "b");
    assertThat(created.totalAmount()).isEqualByComparingTo("100.00");
    assertThat(created.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(created.attempts()).isZero();
    assertThat(created.createdAt()).isEqualTo(T0);
    assertThat(created.updatedAt()).isEqualTo(T0);
    assertThat(created.nextAttemptAt()).isEqualTo(T0);
    assertThat(created.startedAt()).isNull();
    assertThat(created.completedAt()).isNull();
    assertThat(created.processedBy()).isNull();
    assertThat(stored(OrderId.of("11"))).isEqualTo(created);
  }

  @Test
  void timesAreKeptToTheMicrosecond() {
    Instant withNanos = T0.plusNanos(123_456_789);

    Order created = create(anOrder().build(), withNanos);

    assertThat(created.createdAt()).isEqualTo(T0.plusNanos(123_456_000));
    assertThat(stored(created.orderId()).createdAt()).isEqualTo(T0.plusNanos(123_456_000));
  }

  @Test
  void sameOrderTwiceIsADuplicateThatChangesNothing() {
    NewOrder order = anOrder().withTotal("100").build();
    Order original = create(order, T0);

    CreateResult again =
        store.create(
            NewOrder.of(
                order.orderId().value(), order.userId(), order.itemIds(), order.totalAmount()),
            at(5));

    assertThat(again.outcome()).isEqualTo(CreateResult.Outcome.DUPLICATE);
    assertThat(again.order()).isEqualTo(original);
    assertThat(stored(order.orderId())).isEqualTo(original);
    assertThat(store.statistics().total()).isEqualTo(1);
  }

  @Test
  void sameIdWithOtherContentIsAConflictThatChangesNothing() {
    Order original = create(anOrder().withId("7").withTotal("10.00").build(), T0);

    CreateResult clash = store.create(anOrder().withId("7").withTotal("10.01").build(), at(1));
    CreateResult otherUser =
        store.create(anOrder().withId("7").withUser("someone-else").build(), at(1));

    assertThat(clash.outcome()).isEqualTo(CreateResult.Outcome.CONFLICT);
    assertThat(clash.order()).isEqualTo(original);
    assertThat(otherUser.outcome()).isEqualTo(CreateResult.Outcome.CONFLICT);
    assertThat(stored(OrderId.of("7"))).isEqualTo(original);
  }

  @Test
  void createAsyncAnswersAsCreateDoes() throws Exception {
    NewOrder order = anOrder().withId("async-1").withTotal("10.00").build();

    CreateResult created = store.createAsync(order, T0).get(10, TimeUnit.SECONDS);
    CreateResult again = store.createAsync(order, at(1)).get(10, TimeUnit.SECONDS);
    NewOrder clash = anOrder().withId("async-1").withTotal("10.01").build();
    CreateResult conflict = store.createAsync(clash, at(1)).get(10, TimeUnit.SECONDS);

    assertThat(created.outcome()).isEqualTo(CreateResult.Outcome.CREATED);
    assertThat(again.outcome()).isEqualTo(CreateResult.Outcome.DUPLICATE);
    assertThat(conflict.outcome()).isEqualTo(CreateResult.Outcome.CONFLICT);
    assertThat(stored(order.orderId()).createdAt()).isEqualTo(T0);
    assertThat(stored(order.orderId()).totalAmount()).isEqualByComparingTo("10.00");
  }

  @Test
  void manyAsyncCreatesInFlightAllLand() throws Exception {
    List<java.util.concurrent.CompletableFuture<CreateResult>> answers = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      answers.add(store.createAsync(anOrder().withId("many-" + i).build(), T0));
    }
    for (var answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS).outcome())
          .isEqualTo(CreateResult.Outcome.CREATED);
    }
    assertThat(store.statistics().total()).isEqualTo(500);
  }

  @Test
  void createAllAnswersEachOrderInTurn() {
    Order existing = create(anOrder().withId("old").withTotal("1.00").build(), T0);
    List<NewOrder> batch =
        List.of(
            anOrder().withId("new-1").build(),
            anOrder().withId("old").withTotal("1.00").build(),
            anOrder().withId("old").withTotal("2.00").build(),
            anOrder().withId("new-2").withTotal("3.00").build(),
            anOrder().withId("new-2").withTotal("3.00").build(),
            anOrder().withId("new-2").withTotal("4.00").build());

    List<CreateResult> results = store.createAll(batch, at(1));

    assertThat(results)
        .extracting(CreateResult::outcome)
        .containsExactly(
            CreateResult.Outcome.CREATED,
            CreateResult.Outcome.DUPLICATE,
            CreateResult.Outcome.CONFLICT,
            CreateResult.Outcome.CREATED,
            CreateResult.Outcome.DUPLICATE,
            CreateResult.Outcome.CONFLICT);
    assertThat(results.get(1).order()).isEqualTo(existing);
    assertThat(results.get(5).order().totalAmount()).isEqualByComparingTo("3.00");
    assertThat(stored(OrderId.of("new-2")).totalAmount()).isEqualByComparingTo("3.00");
    assertThat(store.statistics().total()).isEqualTo(3);
  }

  @Test
  void unknownOrderIsNotFound() {
    assertThat(store.find(OrderId.of("nope"))).isEmpty();
  }

  // --- claim ---

  @Test
  void claimTakesTheEarliestDueOrdersFirst() {
    Order second = create(anOrder().build(), at(2));
    Order first = create(anOrder().build(), at(1));
    create(anOrder().build(), at(3));

    List<ClaimedOrder> claimed = store.claimDue("node-a", 2, at(10), LEASE);

    assertThat(claimed)
        .extracting(c -> c.order().orderId())
        .containsExactly(first.orderId(), second.orderId());
    ClaimedOrder head = claimed.get(0);
    assertThat(head.order().status()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(head.order().attempts()).isEqualTo(1);
    assertThat(head.order().processedBy()).isEqualTo("node-a");
    assertThat(head.order().startedAt()).isEqualTo(at(10));
    assertThat(head.lease()).isEqualTo(new Lease(first.orderId(), "node-a", 1));
    assertThat(head.leaseExpiresAt()).isEqualTo(at(10).plus(LEASE));
    assertThat(stored(first.orderId())).isEqualTo(head.order());
  }

  @Test
  void claimedOrderIsNotClaimedAgainWhileLeased() {
    Order order = create(anOrder().build(), T0);
    claimOne("node-a", T0);

    assertThat(store.claimDue("node-b", 10, at(29), LEASE)).isEmpty();
    assertThat(store.claimByIds(List.of(order.orderId()), "node-b", at(29), LEASE)).isEmpty();
  }

  @Test
  void orderIsNotClaimedBeforeItIsDue() {
    Order order = create(anOrder().build(), T0);
    ClaimedOrder claimed = claimOne("node-a", T0);
    assertThat(store.retryLater(claimed.lease(), "boom", at(60), at(1))).isTrue();

    assertThat(store.claimDue("node-a", 10, at(59), LEASE)).isEmpty();
    assertThat(store.claimByIds(List.of(order.orderId()), "node-a", at(59), LEASE)).isEmpty();
    assertThat(store.claimDue("node-a", 10, at(60), LEASE))
        .extracting(c -> c.order().attempts())
        .containsExactly(2);
  }

  @Test
  void claimByIdsTakesOnlyThoseThatArePendingAndDue() {
    Order pending = create(anOrder().build(), T0);
    Order processing = create(anOrder().build(), T0);
    store.claimByIds(List.of(processing.orderId()), "node-a", T0, LEASE);
    Order cancelled = create(anOrder().build(), T0);
    store.cancel(cancelled.orderId(), T0);

    List<ClaimedOrder> claimed =
        store.claimByIds(
            List.of(
                pending.orderId(),
                processing.orderId(),
                cancelled.orderId(),
                OrderId.of("unknown"),
                pending.orderId()),
            "node-b",
            at(1),
            LEASE);

    assertThat(claimed).extracting(c -> c.order().orderId()).containsExactly(pending.orderId());
    assertThat(claimed.get(0).lease()).isEqualTo(new Lease(pending.orderId(), "node-b", 1));
    assertThat(stored(processing.orderId()).processedBy()).isEqualTo("node-a");
  }

  @Test
  void concurrentClaimersNeverShareAnOrder() throws Exception {
    int orders = 300;
    int claimers = 6;
    store.createAll(
        IntStream.range(0, orders).mapToObj(i -> anOrder().build()).collect(Collectors.toList()),
        T0);
    CyclicBarrier start = new CyclicBarrier(claimers);
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      List<Future<List<OrderId>>> results = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        String owner = "node-" + i;
        Callable<List<OrderId>> claimer =
            () -> {
              start.await(10, TimeUnit.SECONDS);
              List<OrderId> mine = new ArrayList<>();
              List<ClaimedOrder> batch;
              while (!(batch = store.claimDue(owner, 7, at(1), LEASE)).isEmpty()) {
                batch.forEach(c -> mine.add(c.order().orderId()));
              }
              return mine;
            };
        results.add(pool.submit(claimer));
      }
      List<OrderId> all = new ArrayList<>();
      for (Future<List<OrderId>> result : results) {
        all.addAll(result.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(orders).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  // --- leases ---

  @Test
  void expiredLeaseIsTakenBackAndClaimedAgain() {
    Order order = create(anOrder().build(), T0);
    claimOne("node-a", T0);

    assertThat(store.reclaimExpired(at(29), MAX_ATTEMPTS)).isZero();
    assertThat(store.reclaimExpired(at(30), MAX_ATTEMPTS)).isEqualTo(1);

    Order reclaimed = stored(order.orderId());
    assertThat(reclaimed.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(reclaimed.nextAttemptAt()).isEqualTo(at(30));
    assertThat(reclaimed.lastError()).contains("node-a").contains("expired");
    ClaimedOrder again = claimOne("node-b", at(31));
    assertThat(again.lease()).isEqualTo(new Lease(order.orderId(), "node-b", 2));
    assertThat(again.order().startedAt()).isEqualTo(T0);
  }

  @Test
  void expiredLeaseOnTheLastAttemptFailsTheOrder() {
    Order order = create(anOrder().build(), T0);
    claimOne("node-a", T0);

    assertThat(store.reclaimExpired(at(30), 1)).isEqualTo(1);

    Order failed = stored(order.orderId());
    assertThat(failed.status()).isEqualTo(OrderStatus.FAILED);
    assertThat(failed.lastError()).contains("expired");
    assertThat(store.claimDue("node-b", 10, at(31), LEASE)).isEmpty();
  }

  @Test
  void staleLeaseHolderChangesNothing() {
    Order order = create(anOrder().build(), T0);
    Lease stale = claimOne("node-a", T0).lease();
    store.reclaimExpired(at(30), MAX_ATTEMPTS);
    Lease current = claimOne("node-b", at(31)).lease();
    Order before = stored(order.orderId());

    assertThat(store.complete(stale, at(32))).isFalse();
    assertThat(store.fail(stale, "late", at(32))).isFalse();
    assertThat(store.retryLater(stale, "late", at(40), at(32))).isFalse();
    assertThat(store.release(stale, at(32))).isFalse();
    assertThat(store.renew(List.of(stale), at(100))).isEmpty();
    assertThat(stored(order.orderId())).isEqualTo(before);

    assertThat(store.complete(current, at(33))).isTrue();
    assertThat(stored(order.orderId()).processedBy()).isEqualTo("node-b");
  }

  @Test
  void sameOwnerWithAnOlderAttemptIsAlsoStale() {
    Order order = create(anOrder().build(), T0);
    Lease first = claimOne("node-a", T0).lease();
    store.reclaimExpired(at(30), MAX_ATTEMPTS);
    claimOne("node-a", at(31));

    assertThat(store.complete(first, at(32))).isFalse();
    assertThat(stored(order.orderId()).status()).isEqualTo(OrderStatus.PROCESSING);
  }

  @Test
  void renewedLeaseOutlivesItsFirstExpiry() {
    create(anOrder().build(), T0);
    Lease lease = claimOne("node-a", T0).lease();

    assertThat(store.renew(List.of(lease), at(60))).containsExactly(lease);

    assertThat(store.reclaimExpired(at(45), MAX_ATTEMPTS)).isZero();
    assertThat(store.reclaimExpired(at(60), MAX_ATTEMPTS)).isEqualTo(1);
  }

  // --- outcomes ---

  @Test
  void completeRecordsTheEndOfProcessing() {
    Order order = create(anOrder().build(), T0);
    Lease lease = claimOne("node-a", at(1)).lease();

    assertThat(store.complete(lease, at(5))).isTrue();

    Order completed = stored(order.orderId());
    assertThat(completed.status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(completed.completedAt()).isEqualTo(at(5));
    assertThat(completed.updatedAt()).isEqualTo(at(5));
    assertThat(completed.processingTime()).contains(Duration.ofSeconds(5));
    assertThat(completed.queueWait()).contains(Duration.ofSeconds(1));
    assertThat(store.complete(lease, at(6))).isFalse();
    assertThat(store.claimDue("node-a", 10, at(100), LEASE)).isEmpty();
  }

  @Test
  void completeAllCompletesTheCurrentLeasesOnly() {
    create(anOrder().withId("a").build(), T0);
    create(anOrder().withId("b").build(), T0);
    create(anOrder().withId("c").build(), T0);
    List<ClaimedOrder> claimed = store.claimDue("node-1", 3, T0, LEASE);
    assertThat(claimed).hasSize(3);
    Lease a = claimed.get(0).lease();
    Lease b = claimed.get(1).lease();
    Lease c = claimed.get(2).lease();
    // b's lease is stale: taken back and claimed anew by another node.
    store.release(b, at(1));
    Lease newer = store.claimByIds(List.of(b.orderId()), "node-2", at(1), LEASE).get(0).lease();

    List<Lease> completed = store.completeAll(List.of(a, b, c), at(5));

    assertThat(completed).containsExactlyInAnyOrder(a, c);
    assertThat(stored(a.orderId()).status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(stored(a.orderId()).completedAt()).isEqualTo(at(5));
    assertThat(stored(c.orderId()).status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(stored(b.orderId()).status()).isEqualTo(OrderStatus.PROCESSING);
    assertThat(stored(b.orderId()).processedBy()).isEqualTo(newer.owner());
    assertThat(store.completeAll(List.of(), at(6))).isEmpty();
  }

  @Test
  void failKeepsTheError() {
    Order order = create(anOrder().build(), T0);
    Lease lease = claimOne("node-a", T0).lease();

    assertThat(store.fail(lease, "card declined", at(2))).isTrue();

    Order failed = stored(order.orderId());
    assertThat(failed.status()).isEqualTo(OrderStatus.FAILED);
    assertThat(failed.lastError()).isEqualTo("card declined");
    assertThat(failed.completedAt()).isEqualTo(at(2));
    assertThat(store.claimDue("node-a", 10, at(100), LEASE)).isEmpty();
  }

  @Test
  void retryLaterMakesTheOrderPendingUntilItIsDue() {
    Order order = create(anOrder().build(), T0);
    Lease lease = claimOne("node-a", T0).lease();

    assertThat(store.retryLater(lease, "timeout", at(8), at(2))).isTrue();

    Order rescheduled = stored(order.orderId());
    assertThat(rescheduled.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(rescheduled.nextAttemptAt()).isEqualTo(at(8));
    assertThat(rescheduled.lastError()).isEqualTo("timeout");
    assertThat(rescheduled.attempts()).isEqualTo(1);
  }

  @Test
  void releaseMakesTheOrderDueAtOnce() {
    Order order = create(anOrder().build(), T0);
    Lease lease = claimOne("node-a", T0).lease();

    assertThat(store.release(lease, at(3))).isTrue();

    assertThat(stored(order.orderId()).status()).isEqualTo(OrderStatus.PENDING);
    ClaimedOrder again = claimOne("node-b", at(3));
    assertThat(again.lease()).isEqualTo(new Lease(order.orderId(), "node-b", 2));
  }

  // --- cancel and retry ---

  @Test
  void pendingOrderCanBeCancelledAndIsNeverClaimed() {
    Order order = create(anOrder().build(), T0);

    Order cancelled = store.cancel(order.orderId(), at(1));

    assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(stored(order.orderId())).isEqualTo(cancelled);
    assertThat(store.claimDue("node-a", 10, at(2), LEASE)).isEmpty();
  }

  @Test
  void failedOrderCanBeRetried() {
    Order order = create(anOrder().build(), T0);
    Lease lease = claimOne("node-a", T0).lease();
    store.fail(lease, "boom", at(1));

    Order retried = store.retry(order.orderId(), at(5));

    assertThat(retried.status()).isEqualTo(OrderStatus.PENDING);
    assertThat(retried.nextAttemptAt()).isEqualTo(at(5));
    assertThat(retried.completedAt()).isNull();
    assertThat(stored(order.orderId())).isEqualTo(retried);
    assertThat(claimOne("node-a", at(5)).lease().attempt()).isEqualTo(2);
  }

  @Test
  void illegalTransitionsAreRejectedAndChangeNothing() {
    Order processing = create(anOrder().build(), T0);
    claimOne("node-a", T0);
    Order before = stored(processing.orderId());

    assertThatThrownBy(() -> store.cancel(processing.orderId(), at(1)))
        .isInstanceOfSatisfying(
            IllegalStatusTransitionException.class,
            e -> {
              assertThat(e.orderId()).isEqualTo(processing.orderId());
              assertThat(e.from()).isEqualTo(OrderStatus.PROCESSING);
              assertThat(e.to()).isEqualTo(OrderStatus.CANCELLED);
            });
    assertThatThrownBy(() -> store.retry(processing.orderId(), at(1)))
        .isInstanceOf(IllegalStatusTransitionException.class);
    assertThat(stored(processing.orderId())).isEqualTo(before);

    Order pending = create(anOrder().build(), at(1));
    assertThatThrownBy(() -> store.retry(pending.orderId(), at(2)))
        .isInstanceOf(IllegalStatusTransitionException.class);
    store.cancel(pending.orderId(), at(2));
    assertThatThrownBy(() -> store.cancel(pending.orderId(), at(3)))
        .isInstanceOf(IllegalStatusTransitionException.class);
    assertThat(stored(pending.orderId()).updatedAt()).isEqualTo(at(2));
  }

  @Test
  void cancellingOrRetryingAnUnknownOrderSaysItIsNotFound() {
    assertThatThrownBy(() -> store.cancel(OrderId.of("ghost"), T0))
        .isInstanceOfSatisfying(
            OrderNotFoundException.class,
            e -> assertThat(e.orderId()).isEqualTo(OrderId.of("ghost")));
    assertThatThrownBy(() -> store.retry(OrderId.of("ghost"), T0))
        .isInstanceOf(OrderNotFoundException.class);
  }

  // --- list ---

  @Test
  void listShowsNewestFirstWithFilters() {
    Order a = create(anOrder().withUser("ann").build(), at(1));
    Order b = create(anOrder().withUser("bob").build(), at(2));
    Order c = create(anOrder().withUser("ann").build(), at(3));
    store.cancel(b.orderId(), at(4));

    assertThat(store.list(OrderQuery.all()).orders())
        .extracting(Order::orderId)
        .containsExactly(c.orderId(), b.orderId(), a.orderId());
    assertThat(store.list(OrderQuery.all().withUserId("ann")).orders())
        .extracting(Order::orderId)
        .containsExactly(c.orderId(), a.orderId());
    assertThat(store.list(OrderQuery.all().withStatus(OrderStatus.CANCELLED)).orders())
        .extracting(Order::orderId)
        .containsExactly(b.orderId());
    assertThat(
            store.list(OrderQuery.all().withStatus(OrderStatus.PENDING).withUserId("bob")).orders())
        .isEmpty();
  }

  @Test
  void listPagesWithACursor() {
    List<Order> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create(anOrder().build(), at(i)));
    }
    // Two orders created in the same microsecond are told apart by id.
    created.add(create(anOrder().withId("zz-same-time").build(), at(4)));

    OrderPage first = store.list(OrderQuery.all().withLimit(4));
    OrderPage second = store.list(OrderQuery.all().withLimit(4).after(first.next()));

    assertThat(first.orders()).hasSize(4);
    assertThat(first.nextCursor()).isPresent();
    assertThat(second.orders()).hasSize(2);
    assertThat(second.nextCursor()).isEmpty();
    List<OrderId> seen = new ArrayList<>();
    first.orders().forEach(o -> seen.add(o.orderId()));
    second.orders().forEach(o -> seen.add(o.orderId()));
    assertThat(seen)
        .containsExactly(
            OrderId.of("zz-same-time"),
            created.get(4).orderId(),
            created.get(3).orderId(),
            created.get(2).orderId(),
            created.get(1).orderId(),
            created.get(0).orderId());
  }

  @Test
  void paginationIsStableUnderConcurrentInserts() throws Exception {
    List<OrderId> existing = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      existing.add(create(anOrder().withUser("pager").build(), at(i)).orderId());
    }
    ExecutorService inserter = Executors.newSingleThreadExecutor();
    try {
      List<OrderId> seen = new ArrayList<>();
      OrderQuery query = OrderQuery.all().withUserId("pager").withLimit(7);
      OrderPage page = store.list(query);
      int round = 0;
      while (true) {
        page.orders().forEach(o -> seen.add(o.orderId()));
        if (page.next() == null) {
          break;
        }
        // Between pages others insert: newer orders, and older ones from a node whose clock lags.
        long newer = 1_000 + round;
        long older = -1_000 - round;
        round++;
        inserter
            .submit(
                () -> {
                  store.create(anOrder().withUser("pager").build(), at(newer));
                  store.create(anOrder().withUser("pager").build(), at(older));
                })
            .get(10, TimeUnit.SECONDS);
        page = store.list(query.after(page.next()));
      }

      assertThat(seen).doesNotHaveDuplicates();
      List<OrderId> seenExisting = seen.stream().filter(existing::contains).toList();
      List<OrderId> newestFirst = new ArrayList<>(existing);
      java.util.Collections.reverse(newestFirst);
      assertThat(seenExisting).containsExactlyElementsOf(newestFirst);
    } finally {
      inserter.shutdownNow();
    }
  }

  // --- statistics ---

  @Test
  void statisticsAreExact() {
    OrderStatistics empty = store.statistics();
    assertThat(empty.total()).isZero();
    assertThat(empty.meanProcessingTime()).isEmpty();
    assertThat(empty.meanQueueWait()).isEmpty();

    Order fast = create(anOrder().build(), T0);
    Order slow = create(anOrder().build(), T0);
    Order failing = create(anOrder().build(), T0);
    Order cancelled = create(anOrder().build(), T0);
    create(anOrder().build(), T0);
    Lease fastLease = store.claimByIds(List.of(fast.orderId()), "n", at(1), LEASE).get(0).lease();
    Lease slowLease = store.claimByIds(List.of(slow.orderId()), "n", at(2), LEASE).get(0).lease();
    Lease failingLease =
        store.claimByIds(List.of(failing.orderId()), "n", at(3), LEASE).get(0).lease();
    store.complete(fastLease, at(2));
    store.complete(slowLease, T0.plusMillis(4_500));
    store.fail(failingLease, "boom", at(4));
    store.cancel(cancelled.orderId(), at(5));

    OrderStatistics statistics = store.statistics();

    assertThat(statistics.total()).isEqualTo(5);
    assertThat(statistics.statusCounts().byLabel())
        .containsExactly(
            java.util.Map.entry("Pending", 1L),
            java.util.Map.entry("Processing", 0L),
            java.util.Map.entry("Completed", 2L),
            java.util.Map.entry("Failed", 1L),
            java.util.Map.entry("Cancelled", 1L));
    assertThat(statistics.completedCount()).isEqualTo(2);
    assertThat(statistics.meanProcessingTime()).contains(Duration.ofMillis(3_250));
    assertThat(statistics.startedCount()).isEqualTo(3);
    assertThat(statistics.meanQueueWait()).contains(Duration.ofSeconds(2));
  }

  @Test
  void statisticsFollowEveryMove() {
    Order order = create(anOrder().build(), T0);
    Lease first = claimOne("n", at(1)).lease();
    assertThat(store.statistics().statusCounts().of(OrderStatus.PROCESSING)).isEqualTo(1);
    store.reclaimExpired(at(31), MAX_ATTEMPTS);
    Lease second = claimOne("n", at(40)).lease();
    store.complete(second, at(50));

    OrderStatistics statistics = store.statistics();

    assertThat(first.attempt()).isEqualTo(1);
    assertThat(statistics.statusCounts().of(OrderStatus.PENDING)).isZero();
    assertThat(statistics.statusCounts().of(OrderStatus.PROCESSING)).isZero();
    assertThat(statistics.completedCount()).isEqualTo(1);
    assertThat(statistics.meanProcessingTime()).contains(Duration.ofSeconds(50));
    // Queue wait ends at the first start only: a second attempt does not count again.
    assertThat(statistics.startedCount()).isEqualTo(1);
    assertThat(statistics.meanQueueWait()).contains(Duration.ofSeconds(1));
    assertThat(stored(order.orderId()).queueWait()).contains(Duration.ofSeconds(1));
  }

  @Test
  void pendingBacklogCountsDueOrdersUpToTheLimitAndFindsTheOldest() {
    PendingBacklog empty = store.pendingBacklog(T0, 10);
    assertThat(empty).isEqualTo(new PendingBacklog(T0, 0, false, null));
    assertThat(empty.oldestPendingAge()).isEmpty();

    Order waiting = create(anOrder().build(), T0);
    create(anOrder().build(), at(1));
    create(anOrder().build(), at(2));
    create(anOrder().build(), at(3));
    Order running = create(anOrder().build(), at(4));
    Order cancelled = create(anOrder().build(), at(4));
    Lease retried = store.claimByIds(List.of(waiting.orderId()), "n", at(5), LEASE).get(0).lease();
    store.retryLater(retried, "boom", at(100), at(6));
    store.claimByIds(List.of(running.orderId()), "n", at(7), LEASE);
    store.cancel(cancelled.orderId(), at(8));

    // Three due (created at 1, 2, 3 s); the oldest Pending order waits for its retry, not due.
    assertThat(store.pendingBacklog(at(10), 10))
        .isEqualTo(new PendingBacklog(at(10), 3, false, T0));
    assertThat(store.pendingBacklog(at(10), 3)).isEqualTo(new PendingBacklog(at(10), 3, false, T0));
    assertThat(store.pendingBacklog(at(10), 2)).isEqualTo(new PendingBacklog(at(10), 2, true, T0));
    assertThat(store.pendingBacklog(at(10), 10).oldestPendingAge())
        .contains(Duration.ofSeconds(10));
    // Once the retry is due it counts too.
    assertThat(store.pendingBacklog(at(100), 10).due()).isEqualTo(4);
  }

  @Test
  void manyOrdersCreatedTogetherAreAllThere() {
    Set<OrderId> ids = new HashSet<>();
    List<NewOrder> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      NewOrder order = anOrder().build();
      ids.add(order.orderId());
      batch.add(order);
    }

    List<CreateResult> results = store.createAll(batch, T0);

    assertThat(results).allMatch(CreateResult::isCreated);
    assertThat(store.statistics().total()).isEqualTo(1_000);
    assertThat(store.claimDue("n", 1_000, T0, LEASE))
        .extracting(c -> c.order().orderId())
        .containsExactlyInAnyOrderElementsOf(ids);
  }
}
