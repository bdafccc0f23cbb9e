package dev.orderly.core.store;

/** A registration that can be undone; closing it twice does nothing. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

  @Override
  void close();
}
