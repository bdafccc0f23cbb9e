package dev.orderly.core.store;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.order.IllegalStatusTransitionException;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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
   * {@code now + leaseDuration}. No order is ever claimed by two callers at once.
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
   * Calls {@code listener} when orders may have become available, for example created by another
   * node, so idle engines wake before their next poll. Stores that cannot tell need not: engines
   * poll anyway.
   */
  default Subscription onOrdersAvailable(Runnable listener) {
    return () -> {};
  }
}
