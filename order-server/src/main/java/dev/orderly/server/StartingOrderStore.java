package dev.orderly.server;

import dev.orderly.core.OrderlyException;
import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.Lease;
import dev.orderly.core.store.OrderPage;
import dev.orderly.core.store.OrderQuery;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An {@link OrderStore} that is still being opened on another thread; every call goes to the store
 * once it is open. It lets the server build its engine and its HTTP application (about a second of
 * class loading) while the database starts (about two seconds on an embedded first start), instead
 * of one after the other. Thread-safe.
 *
 * <p>The server starts the engine and the HTTP listener only after {@link #awaitOpen()}, so in
 * practice no call waits; a call that did would wait for the opening and fail if it failed.
 */
final class StartingOrderStore implements OrderStore {

  private final CompletableFuture<? extends OrderStore> opening;

  StartingOrderStore(CompletableFuture<? extends OrderStore> opening) {
    this.opening = opening;
  }

  /**
   * Waits until the store is open.
   *
   * @throws OrderlyException the opening's own failure, unwrapped
   */
  OrderStore awaitOpen() {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw new OrderlyException("could not open the store: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public CreateResult create(NewOrder order, Instant now) {
    return awaitOpen().create(order, now);
  }

  @Override
  public List<CreateResult> createAll(List<NewOrder> orders, Instant now) {
    return awaitOpen().createAll(orders, now);
  }

  @Override
  public Optional<Order> find(OrderId orderId) {
    return awaitOpen().find(orderId);
  }

  @Override
  public OrderPage list(OrderQuery query) {
    return awaitOpen().list(query);
  }

  @Override
  public List<ClaimedOrder> claimDue(String owner, int limit, Instant now, Duration leaseDuration) {
    return awaitOpen().claimDue(owner, limit, now, leaseDuration);
  }

  @Override
  public List<ClaimedOrder> claimByIds(
      Collection<OrderId> orderIds, String owner, Instant now, Duration leaseDuration) {
    return awaitOpen().claimByIds(orderIds, owner, now, leaseDuration);
  }

  @Override
  public List<Lease> renew(Collection<Lease> leases, Instant expiresAt) {
    return awaitOpen().renew(leases, expiresAt);
  }

  @Override
  public boolean complete(Lease lease, Instant now) {
    return awaitOpen().complete(lease, now);
  }

  @Override
  public List<Lease> completeAll(Collection<Lease> leases, Instant now) {
    return awaitOpen().completeAll(leases, now);
  }

  @Override
  public boolean fail(Lease lease, String error, Instant now) {
    return awaitOpen().fail(lease, error, now);
  }

  @Override
  public boolean retryLater(Lease lease, String error, Instant nextAttemptAt, Instant now) {
    return awaitOpen().retryLater(lease, error, nextAttemptAt, now);
  }

  @Override
  public boolean release(Lease lease, Instant now) {
    return awaitOpen().release(lease, now);
  }

  @Override
  public Order cancel(OrderId orderId, Instant now) {
    return awaitOpen().cancel(orderId, now);
  }

  @Override
  public Order retry(OrderId orderId, Instant now) {
    return awaitOpen().retry(orderId, now);
  }

  @Override
  public int reclaimExpired(Instant now, int maxAttempts) {
    return awaitOpen().reclaimExpired(now, maxAttempts);
  }

  @Override
  public OrderStatistics statistics() {
    return awaitOpen().statistics();
  }

  @Override
  public Subscription onOrdersAvailable(Runnable listener) {
    return awaitOpen().onOrdersAvailable(listener);
  }
}
