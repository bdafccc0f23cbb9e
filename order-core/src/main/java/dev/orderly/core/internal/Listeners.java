package dev.orderly.core.internal;

import dev.orderly.core.OrderListener;
import dev.orderly.core.order.Order;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Consumer;

/** Many listeners heard as one; one that throws is logged and cannot hurt the others. */
public final class Listeners implements OrderListener {

  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

  private final List<OrderListener> listeners;

  public Listeners(List<OrderListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void created(Order order) {
    each(order, listener -> listener.created(order));
  }

  @Override
  public void started(Order order) {
    each(order, listener -> listener.started(order));
  }

  @Override
  public void completed(Order order) {
    each(order, listener -> listener.completed(order));
  }

  @Override
  public void retryScheduled(Order order, Throwable error) {
    each(order, listener -> listener.retryScheduled(order, error));
  }

  @Override
  public void failed(Order order, Throwable error) {
    each(order, listener -> listener.failed(order, error));
  }

  private void each(Order order, Consumer<OrderListener> event) {
    for (OrderListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING, "order " + order.orderId() + ": listener " + listener + " failed", e);
      }
    }
  }
}
