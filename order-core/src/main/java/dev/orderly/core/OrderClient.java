package dev.orderly.core;

import dev.orderly.core.internal.Listeners;
import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderConflictException;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.OrderPage;
import dev.orderly.core.store.OrderQuery;
import dev.orderly.core.store.OrderStore;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Accepts, reads and steers orders without processing any: the view for a node that takes orders in
 * (a web tier) while other nodes' engines do the work. An {@link OrderEngine} offers the same
 * operations and also hands what it accepts to its own workers. Thread-safe.
 *
 * <pre>{@code
 * OrderClient client = OrderClient.create(store);
 * client.submit(NewOrder.of("11", "user-7", List.of("sku-1"), new BigDecimal("100.00")));
 * }</pre>
 */
public final class OrderClient {

  private final OrderStore store;
  private final Clock clock;
  private final Listeners listeners;
  private final Consumer<OrderId> onAvailable;

  OrderClient(OrderStore store, Clock clock, Listeners listeners, Consumer<OrderId> onAvailable) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listeners = listeners;
    this.onAvailable = onAvailable;
  }

  public static OrderClient create(OrderStore store) {
    return create(store, Clock.systemUTC());
  }

  public static OrderClient create(OrderStore store, Clock clock) {
    return new OrderClient(store, clock, new Listeners(List.of()), orderId -> {});
  }

  /**
   * Stores a new Pending order, idempotently: submitting the same order again answers the stored
   * one as a {@link CreateResult.Outcome#DUPLICATE}. When this returns, the order is durable (as
   * durable as the store).
   *
   * @throws OrderConflictException when the id belongs to an order with other content
   */
  public CreateResult submit(NewOrder order) {
    return answered(order, store.create(order, clock.instant()));
  }

  /**
   * As {@link #submit}, without holding the caller's thread while the store commits: the answer
   * completes once the order is durable, or fails with the exception {@link #submit} would throw.
   */
  public CompletableFuture<CreateResult> submitAsync(NewOrder order) {
    return store.createAsync(order, clock.instant()).thenApply(result -> answered(order, result));
  }

  /** A single create's answer: a conflict is thrown; anything else is accepted and returned. */
  private CreateResult answered(NewOrder order, CreateResult result) {
    if (result.outcome() == CreateResult.Outcome.CONFLICT) {
      throw new OrderConflictException(order.orderId());
    }
    accepted(result);
    return result;
  }

  /** Stores many orders in one go; one result per order, conflicts included, nothing thrown. */
  public List<CreateResult> submitAll(List<NewOrder> orders) {
    List<CreateResult> results = store.createAll(orders, clock.instant());
    results.forEach(this::accepted);
    return results;
  }

  private void accepted(CreateResult result) {
    if (result.isCreated()) {
      listeners.created(result.order());
      onAvailable.accept(result.order().orderId());
    }
  }

  public Optional<Order> find(OrderId orderId) {
    return store.find(orderId);
  }

  /** Lists orders newest first. */
  public OrderPage list(OrderQuery query) {
    return store.list(query);
  }

  /** Cancels a Pending order; see {@link OrderStore#cancel}. */
  public Order cancel(OrderId orderId) {
    return store.cancel(orderId, clock.instant());
  }

  /** Sends a Failed order back to Pending for one more attempt; see {@link OrderStore#retry}. */
  public Order retry(OrderId orderId) {
    Order order = store.retry(orderId, clock.instant());
    onAvailable.accept(orderId);
    return order;
  }

  /** Exact counts and means over every stored order. */
  public OrderStatistics statistics() {
    return store.statistics();
  }

  /**
   * The Pending backlog now: due Pending orders counted up to {@link
   * PendingBacklog#DEFAULT_DUE_LIMIT}, and the oldest Pending order's creation time.
   */
  public PendingBacklog pendingBacklog() {
    return store.pendingBacklog(clock.instant(), PendingBacklog.DEFAULT_DUE_LIMIT);
  }
}
