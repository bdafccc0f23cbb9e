package dev.orderly.core.testing;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
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

/** A store that passes every call to another; tests override the calls they watch or break. */
public class ForwardingOrderStore implements OrderStore {

  private final OrderStore delegate;

  public ForwardingOrderStore(OrderStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public CreateResult create(NewOrder order, Instant now) {
    return delegate.create(order, now);
  }

  @Override
  public List<CreateResult> createAll(List<NewOrder> orders, Instant now) {
    return delegate.createAll(orders, now);
  }

  @Override
  public Optional<Order> find(OrderId orderId) {
    return delegate.find(orderId);
  }

  @Override
  public OrderPage list(OrderQuery query) {
    return delegate.list(query);
  }

  @Override
  public List<ClaimedOrder> claimDue(String owner, int limit, Instant now, Duration leaseDuration) {
    return delegate.claimDue(owner, limit, now, leaseDuration);
  }

  @Override
  public List<ClaimedOrder> claimByIds(
      Collection<OrderId> orderIds, String owner, Instant now, Duration leaseDuration) {
    return delegate.claimByIds(orderIds, owner, now, leaseDuration);
  }

  @Override
  public List<Lease> renew(Collection<Lease> leases, Instant expiresAt) {
    return delegate.renew(leases, expiresAt);
  }

  @Override
  public boolean complete(Lease lease, Instant now) {
    return delegate.complete(lease, now);
  }

  @Override
  public boolean fail(Lease lease, String error, Instant now) {
    return delegate.fail(lease, error, now);
  }

  @Override
  public boolean retryLater(Lease lease, String error, Instant nextAttemptAt, Instant now) {
    return delegate.retryLater(lease, error, nextAttemptAt, now);
  }

  @Override
  public boolean release(Lease lease, Instant now) {
    return delegate.release(lease, now);
  }

  @Override
  public Order cancel(OrderId orderId, Instant now) {
    return delegate.cancel(orderId, now);
  }

  @Override
  public Order retry(OrderId orderId, Instant now) {
    return delegate.retry(orderId, now);
  }

  @Override
  public int reclaimExpired(Instant now, int maxAttempts) {
    return delegate.reclaimExpired(now, maxAttempts);
  }

  @Override
  public OrderStatistics statistics() {
    return delegate.statistics();
  }

  @Override
  public PendingBacklog pendingBacklog(Instant now, int dueLimit) {
    return delegate.pendingBacklog(now, dueLimit);
  }

  @Override
  public Subscription onOrdersAvailable(Runnable listener) {
    return delegate.onOrdersAvailable(listener);
  }
}
