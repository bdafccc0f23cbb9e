package dev.orderly.core.store;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import dev.orderly.core.order.IllegalStatusTransitionException;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderNotFoundException;
import dev.orderly.core.order.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Storage and durable queue in one: the order row is the queue entry. This SPI holds only what the
 * engine and the client need; its contract test ({@code OrderStoreContractTest} in order-core's
 * test jar) is what every implementation must pass. Implementations are thread-safe, and may be
 * shared by many engines, in one process or many.
 *
 * <p>Time comes from the caller ({@code now}), never from the store's own clock, so that tests can
 * step time and every node agrees on one rule for due orders and leases. Stores keep times to the
 * microsecond.
 *
 * <p>Operations that take a {@link Lease} change the order only while the lease is current: the
 * order is Processing under that owner and attempt. Otherwise they change nothing and answer {@code
 * false}.
 */
public interface OrderStore {

  /**
   * Creates a Pending order, due at {@code now}, idempotently: a second create with the same id and
   * content answers {@link CreateResult.Outcome#DUPLICATE}, with other content {@link
   * CreateResult.Outcome#CONFLICT}; neither changes anything. A created order is durable when this
   * returns.
   */
  CreateResult create(NewOrder order, Instant now);

  /**
   * Creates an order as {@link #create} does, answering when it is durable without holding the
   * caller's thread, so that a server can keep many creates waiting for one group commit. The
   * default runs {@link #create} at once; a store that batches commits answers later.
   */
  default CompletableFuture<CreateResult> createAsync(NewOrder order, Instant now) {
    try {
      return CompletableFuture.completedFuture(create(order, now));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Creates many orders, one result per input in the same order. An id repeated inside {@code
   * orders} is treated as if the repeats came later.
   */
  List<CreateResult> createAll(List<NewOrder> orders, Instant now);

  Optional<Order> find(OrderId orderId);

  /** Lists orders newest first, with the filters and cursor of {@code query}. */
  OrderPage list(OrderQuery query);

  /**
   * Claims up to {@code limit} Pending orders due at {@code now}, the earliest due first: each
   * becomes Processing under {@code owner} with its attempt count raised by one and a lease until
   * {@code now + leaseDuration}. No order is ever claimed by two callers at once. A store may go on
   * from where its last claim ended and see an order that became due before that point a little
   * later (PostgreSQL: by the next claim that comes back short, or within a second of {@code now}).
   */
  List<ClaimedOrder> claimDue(String owner, int limit, Instant now, Duration leaseDuration);

  /**
   * Claims those of {@code orderIds} that are Pending and due at {@code now}, as {@link #claimDue};
   * the others are left alone. This is how an engine takes the orders it was just handed without
   * searching for them.
   */
  List<ClaimedOrder> claimByIds(
      Collection<OrderId> orderIds, String owner, Instant now, Duration leaseDuration);

  /** Extends the leases that are still current to {@code expiresAt}; answers those. */
  List<Lease> renew(Collection<Lease> leases, Instant expiresAt);

  /** Processing to Completed. */
  boolean complete(Lease lease, Instant now);

  /**
   * Completes many orders at {@code now}, as {@link #complete} does each, in as few round trips as
   * the store can; answers the leases that were current and so completed.
   */
  default List<Lease> completeAll(Collection<Lease> leases, Instant now) {
    List<Lease> completed = new ArrayList<>(leases.size());
    for (Lease lease : leases) {
      if (complete(lease, now)) {
        completed.add(lease);
      }
    }
    return completed;
  }

  /** Processing to Failed for good, keeping {@code error}. */
  boolean fail(Lease lease, String error, Instant now);

  /** Processing back to Pending, due at {@code nextAttemptAt}, keeping {@code error}. */
  boolean retryLater(Lease lease, String error, Instant nextAttemptAt, Instant now);

  /** Processing back to Pending, due at once, so that any node can take it now. */
  boolean release(Lease lease, Instant now);

  /**
   * Pending to Cancelled.
   *
   * @throws OrderNotFoundException when there is no such order
   * @throws IllegalStatusTransitionException when the order is not Pending
   */
  Order cancel(OrderId orderId, Instant now);

  /**
   * Failed to Pending, due at once.
   *
   * @throws OrderNotFoundException when there is no such order
   * @throws IllegalStatusTransitionException when the order is not Failed
   */
  Order retry(OrderId orderId, Instant now);

  /**
   * Takes back every order whose lease expired at or before {@code now}: it becomes Pending and due
   * at once, or Failed when it already had {@code maxAttempts} attempts (an order that keeps
   * killing its node must not loop for ever).
   *
   * @return how many orders were taken back
   */
  int reclaimExpired(Instant now, int maxAttempts);

  /** Exact counts per status and processing-time aggregates over every stored order. */
  OrderStatistics statistics();

  /**
   * The Pending backlog at {@code now}: how many Pending orders are due at {@code now}, counting no
   * further than {@code dueLimit} (then {@link PendingBacklog#dueCapped()} is true), and the
   * creation time of the oldest Pending order. Stores should answer from an index, at a cost
   * bounded by {@code dueLimit}; this default pages through every Pending order, which is right
   * only for small stores.
   *
   * @param dueLimit the most due orders to count, at least 1
   */
  default PendingBacklog pendingBacklog(Instant now, int dueLimit) {
    if (dueLimit < 1) {
      throw new IllegalArgumentException("dueLimit must be >= 1, was " + dueLimit);
    }
    long due = 0;
    Instant oldest = null;
    OrderQuery query =
        OrderQuery.all().withStatus(OrderStatus.PENDING).withLimit(OrderQuery.MAX_LIMIT);
    while (query != null) {
      OrderPage page = list(query);
      for (Order order : page.orders()) {
        if (!order.nextAttemptAt().isAfter(now)) {
          due++;
        }
        if (oldest == null || order.createdAt().isBefore(oldest)) {
          oldest = order.createdAt();
        }
      }
      query = page.nextCursor().map(query::after).orElse(null);
    }
    return new PendingBacklog(now, Math.min(due, dueLimit), due > dueLimit, oldest);
  }

  /**
   * Calls {@code listener} when orders may have become available, for example created by another
   * node, so idle engines wake before their next poll. Stores that cannot tell need not: engines
   * poll anyway.
   */
  default Subscription onOrdersAvailable(Runnable listener) {
    return () -> {};
  }
}
