package dev.orderly.persistence;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears PostgreSQL's NOTIFY on Orderly's channel over one dedicated connection and tells the
 * subscribers, so idle engines on every node wake when orders appear. Best effort: it reconnects
 * after failures, and engines poll anyway. Thread-safe.
 */
final class Notifications implements AutoCloseable {

  static final String CHANNEL = "orderly_orders";

  private static final System.Logger LOG = System.getLogger(Notifications.class.getName());
  private static final int WAIT_MILLIS = 500;
  private static final long RECONNECT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final DataSource dataSource;
  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private final Thread listener;
  private volatile boolean open = true;

  Notifications(DataSource dataSource, String name) {
    this.dataSource = dataSource;
    this.listener = new Thread(this::listen, name);
    listener.setDaemon(true);
  }

  /** Adds a subscriber; the listening connection opens with the first one. */
  synchronized Runnable subscribe(Runnable subscriber) {
    subscribers.add(subscriber);
    if (!listener.isAlive() && open) {
      listener.start();
    }
    return () -> subscribers.remove(subscriber);
  }

  private void listen() {
    while (open) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("listen " + CHANNEL);
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        // Orders may have appeared while no one listened.
        notifySubscribers();
        while (open) {
          PGNotification[] received = postgres.getNotifications(WAIT_MILLIS);
          if (received != null && received.length > 0) {
            notifySubscribers();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (open) {
          LOG.log(Level.WARNING, "lost the notification connection; reconnecting", e);
          LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
        }
      }
    }
  }

  private void notifySubscribers() {
    for (Runnable subscriber : subscribers) {
      try {
        subscriber.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a notification subscriber failed", e);
      }
    }
  }

  @Override
  public void close() {
    open = false;
    try {
      listener.join(WAIT_MILLIS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
