package dev.orderly.core.store;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import dev.orderly.core.metrics.StatusCounts;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderNotFoundException;
import dev.orderly.core.order.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link OrderStore} that keeps everything in this process's memory: for tests, demos and
 * embedders who can afford to lose orders on restart. It honours the whole store contract and is
 * thread-safe (one lock; every operation is short).
 *
 * <pre>{@code
 * OrderStore store = new InMemoryOrderStore();
 * }</pre>
 */
public final class InMemoryOrderStore implements OrderStore {

  /** Pending orders, the earliest due first. */
  private static final Comparator<Order> BY_DUE =
      Comparator.comparing(Order::nextAttemptAt)
          .thenComparing(Order::createdAt)
          .thenComparing(Order::orderId);

  /** Every order, newest first: the listing order. */
  private static final Comparator<Order> NEWEST_FIRST =
      Comparator.comparing(Order::createdAt).thenComparing(Order::orderId).reversed();

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<OrderId, Order> orders = new HashMap<>();
  private final NavigableSet<Order> due = new TreeSet<>(BY_DUE);
  private final NavigableSet<Order> newestFirst = new TreeSet<>(NEWEST_FIRST);
  private final Map<OrderId, Instant> leaseExpiries = new HashMap<>();
  private final Set<OrderId> processing = new LinkedHashSet<>();
  private final Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
  private long processingMicros;
  private long startedCount;
  private long queueWaitMicros;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  @Override
  public CreateResult create(NewOrder order, Instant now) {
    return createAll(List.of(order), now).get(0);
  }

  @Override
  public List<CreateResult> createAll(List<NewOrder> newOrders, Instant now) {
    List<CreateResult> results = new ArrayList<>(newOrders.size());
    boolean createdAny = false;
    lock.lock();
    try {
      for (NewOrder newOrder : newOrders) {
        Order existing = orders.get(newOrder.orderId());
        if (existing == null) {
          Order created = Order.create(newOrder, now);
          put(null, created);
          results.add(CreateResult.created(created));
          createdAny = true;
        } else {
          results.add(
              new CreateResult(
                  existing.hasSameContent(newOrder)
                      ? CreateResult.Outcome.DUPLICATE
                      : CreateResult.Outcome.CONFLICT,
                  existing));
        }
      }
    } finally {
      lock.unlock();
    }
    if (createdAny) {
      notifyListeners();
    }
    return results;
  }

  @Override
  public Optional<Order> find(OrderId orderId) {
    lock.lock();
    try {
      return Optional.ofNullable(orders.get(orderId));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public OrderPage list(OrderQuery query) {
    List<Order> found = new ArrayList<>(query.limit() + 1);
    lock.lock();
    try {
      Iterable<Order> candidates =
          query.cursor() == null ? newestFirst : newestFirst.tailSet(cursorProbe(query), false);
      for (Order order : candidates) {
        if ((query.status() == null || order.status() == query.status())
            && (query.userId() == null || order.userId().equals(query.userId()))) {
          found.add(order);
          if (found.size() > query.limit()) {
            break;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    return OrderPage.of(found, query.limit());
  }

  /** An order that sorts exactly at the cursor's position, for searching the listing order. */
  private static Order cursorProbe(OrderQuery query) {
    OrderCursor cursor = query.cursor();
    return new Order(
        cursor.orderId(),
        "",
        List.of(),
        java.math.BigDecimal.ZERO,
        OrderStatus.PENDING,
        0,
        cursor.createdAt(),
        cursor.createdAt(),
        null,
        null,
        null,
        null,
        null);
  }

  @Override
  public List<ClaimedOrder> claimDue(String owner, int limit, Instant now, Duration leaseDuration) {
    List<ClaimedOrder> claimed = new ArrayList<>();
    lock.lock();
    try {
      Iterator<Order> candidates = due.iterator();
      while (claimed.size() < limit && candidates.hasNext()) {
        Order order = candidates.next();
        if (order.nextAttemptAt().isAfter(now)) {
          break;
        }
        candidates.remove();
        claimed.add(claim(order, owner, now, leaseDuration));
      }
    } finally {
      lock.unlock();
    }
    return claimed;
  }

  @Override
  public List<ClaimedOrder> claimByIds(
      Collection<OrderId> orderIds, String owner, Instant now, Duration leaseDuration) {
    List<ClaimedOrder> claimed = new ArrayList<>();
    lock.lock();
    try {
      for (OrderId orderId : new LinkedHashSet<>(orderIds)) {
        Order order = orders.get(orderId);
        if (order != null
            && order.status() == OrderStatus.PENDING
            && !order.nextAttemptAt().isAfter(now)) {
          claimed.add(claim(order, owner, now, leaseDuration));
        }
      }
    } finally {
      lock.unlock();
    }
    return claimed;
  }

  /** Claims {@code order}, already taken out of {@link #due}. */
  private ClaimedOrder claim(Order order, String owner, Instant now, Duration leaseDuration) {
    Order claimed = order.claimed(owner, now);
    Instant expiresAt = Order.micros(now.plus(leaseDuration));
    put(order, claimed);
    leaseExpiries.put(order.orderId(), expiresAt);
    return ClaimedOrder.of(claimed, expiresAt);
  }

  @Override
  public List<Lease> renew(Collection<Lease> leases, Instant expiresAt) {
    List<Lease> renewed = new ArrayList<>();
    lock.lock();
    try {
      for (Lease lease : leases) {
        if (holds(lease)) {
          leaseExpiries.put(lease.orderId(), Order.micros(expiresAt));
          renewed.add(lease);
        }
      }
    } finally {
      lock.unlock();
    }
    return renewed;
  }

  @Override
  public boolean complete(Lease lease, Instant now) {
    return finish(lease, order -> order.completed(now));
  }

  @Override
  public boolean fail(Lease lease, String error, Instant now) {
    return finish(lease, order -> order.failed(error, now));
  }

  @Override
  public boolean retryLater(Lease lease, String error, Instant nextAttemptAt, Instant now) {
    return finish(lease, order -> order.rescheduled(error, nextAttemptAt, now));
  }

  @Override
  public boolean release(Lease lease, Instant now) {
    boolean released = finish(lease, order -> order.released(now));
    if (released) {
      notifyListeners();
    }
    return released;
  }

  private boolean finish(Lease lease, java.util.function.UnaryOperator<Order> transition) {
    lock.lock();
    try {
      if (!holds(lease)) {
        return false;
      }
      Order order = orders.get(lease.orderId());
      put(order, transition.apply(order));
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean holds(Lease lease) {
    Order order = orders.get(lease.orderId());
    return order != null
        && order.status() == OrderStatus.PROCESSING
        && order.attempts() == lease.attempt()
        && lease.owner().equals(order.processedBy());
  }

  @Override
  public Order cancel(OrderId orderId, Instant now) {
    return change(orderId, order -> order.cancelled(now));
  }

  @Override
  public Order retry(OrderId orderId, Instant now) {
    Order retried = change(orderId, order -> order.retried(now));
    notifyListeners();
    return retried;
  }

  private Order change(OrderId orderId, java.util.function.UnaryOperator<Order> transition) {
    lock.lock();
    try {
      Order order = orders.get(orderId);
      if (order == null) {
        throw new OrderNotFoundException(orderId);
      }
      Order changed = transition.apply(order);
      put(order, changed);
      return changed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int reclaimExpired(Instant now, int maxAttempts) {
    int reclaimed = 0;
    lock.lock();
    try {
      for (OrderId orderId : List.copyOf(processing)) {
        if (!leaseExpiries.get(orderId).isAfter(now)) {
          Order order = orders.get(orderId);
          Order expired = order.expired(now);
          put(
              order,
              order.attempts() >= maxAttempts
                  ? order.failed(expired.lastError() + "; no attempts left", now)
                  : expired);
          reclaimed++;
        }
      }
    } finally {
      lock.unlock();
    }
    if (reclaimed > 0) {
      notifyListeners();
    }
    return reclaimed;
  }

  @Override
  public OrderStatistics statistics() {
    lock.lock();
    try {
      return new OrderStatistics(
          StatusCounts.of(counts), processingMicros, startedCount, queueWaitMicros);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public PendingBacklog pendingBacklog(Instant now, int dueLimit) {
    if (dueLimit < 1) {
      throw new IllegalArgumentException("dueLimit must be >= 1, was " + dueLimit);
    }
    lock.lock();
    try {
      long dueCount = 0;
      Instant oldest = null;
      // One pass over the Pending orders, earliest due first: every due one comes before every
      // later one, but the oldest by creation may be anywhere (a retry waiting for its backoff).
      for (Order order : due) {
        if (!order.nextAttemptAt().isAfter(now) && dueCount <= dueLimit) {
          dueCount++;
        }
        if (oldest == null || order.createdAt().isBefore(oldest)) {
          oldest = order.createdAt();
        }
      }
      return new PendingBacklog(now, Math.min(dueCount, dueLimit), dueCount > dueLimit, oldest);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Subscription onOrdersAvailable(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Replaces {@code before} (null for a new order) with {@code after} in every index. */
  private void put(Order before, Order after) {
    if (before != null) {
      counts.merge(before.status(), -1L, Long::sum);
      newestFirst.remove(before);
      if (before.status() == OrderStatus.PENDING) {
        due.remove(before);
      }
    }
    orders.put(after.orderId(), after);
    newestFirst.add(after);
    counts.merge(after.status(), 1L, Long::sum);
    switch (after.status()) {
      case PENDING -> due.add(after);
      case PROCESSING -> processing.add(after.orderId());
      case COMPLETED -> processingMicros += micros(after.processingTime().orElseThrow());
      default -> {}
    }
    if (before != null && before.status() == OrderStatus.PROCESSING) {
      processing.remove(after.orderId());
      leaseExpiries.remove(after.orderId());
    }
    if ((before == null || before.startedAt() == null) && after.startedAt() != null) {
      startedCount++;
      queueWaitMicros += micros(after.queueWait().orElseThrow());
    }
  }

  private static long micros(Duration duration) {
    return duration.toNanos() / 1_000;
  }

  private void notifyListeners() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }
}
