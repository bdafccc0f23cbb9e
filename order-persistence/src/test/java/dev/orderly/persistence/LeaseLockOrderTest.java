package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.Lease;
import dev.orderly.core.testing.Await;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batched lease statements over the same orders lock their rows in one order, so a renewal and a
 * completion that meet never deadlock, whatever order their callers list the leases in.
 */
class LeaseLockOrderTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final String APPLICATION = "orderly-lease-lock-order-test";
  private static final int ROUNDS = 40;
  private static final int ORDERS_PER_ROUND = 200;
  private static final Duration LEASE = Duration.ofMinutes(5);

  @Test
  void renewalsAndCompletionsOfTheSameOrdersInOppositeOrdersNeverDeadlock() throws Exception {
    List<Throwable> deadlocks = new CopyOnWriteArrayList<>();
    long deadlocksBefore = deadlocksInTheDatabase();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (PostgresOrderStore store = store()) {
      fillAndAnalyze(store);
      for (int round = 0; round < ROUNDS; round++) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(round);
        List<NewOrder> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS_PER_ROUND; i++) {
          orders.add(NewOrder.of("r" + round + "-" + i, "u", List.of("sku"), BigDecimal.ONE));
        }
        store.createAll(orders, now);
        List<Lease> ascending =
            store.claimByIds(ids(orders), "node-1", now, LEASE).stream()
                .map(ClaimedOrder::lease)
                .sorted(Comparator.comparing(lease -> lease.orderId().value()))
                .toList();
        assertThat(ascending).hasSize(ORDERS_PER_ROUND);
        List<Lease> descending = new ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        // Alternate which statement gets which order, so both lock orders meet both statements.
        List<Lease> renewOrder = round % 2 == 0 ? ascending : descending;
        List<Lease> completeOrder = round % 2 == 0 ? descending : ascending;

        CyclicBarrier together = new CyclicBarrier(2);
        Future<?> renewal =
            threads.submit(
                () -> {
                  together.await();
                  return store.renew(renewOrder, now.plus(LEASE).plusSeconds(1));
                });
        Future<?> completion =
            threads.submit(
                () -> {
                  together.await();
                  return store.completeAll(completeOrder, now);
                });
        for (Future<?> call : List.of(renewal, completion)) {
          try {
            call.get(30, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            if (!isDeadlock(e.getCause())) {
              throw e;
            }
            deadlocks.add(e.getCause());
          }
        }
        // Whatever a deadlock left unfinished, so that each round starts from finished orders.
        store.completeAll(ascending, now);
      }
    } finally {
      threads.shutdownNow();
    }
    // A completion that lost a deadlock is tried again inside the store, so its side only shows
    // in the database's count, which a backend reports at the latest as it exits.
    Await.until(
        "the store's connections are closed",
        Duration.ofSeconds(30),
        () -> backendsOfThisTest() == 0);
    assertThat(deadlocksInTheDatabase() - deadlocksBefore)
        .as(
            "deadlocks the database detected; %s of them thrown to the caller: %s",
            deadlocks.size(), deadlocks)
        .isZero();
    assertThat(deadlocks).as("deadlocks (SQLState 40P01) thrown to the caller").isEmpty();
  }

  private static PostgresOrderStore store() {
    TestDatabase.Server server = TestDatabase.server();
    String url =
        server.url() + (server.url().contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION;
    return PostgresOrderStore.builder(url, server.user(), server.password())
        .schema(database.schema())
        .poolSize(8)
        .build();
  }

  /**
   * A table of some size, analyzed, as in production: over a handful of rows the planner scans the
   * whole table, and both statements happen to lock in its physical order.
   */
  private static void fillAndAnalyze(PostgresOrderStore store) throws SQLException {
    List<NewOrder> orders = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      orders.add(NewOrder.of("old-" + i, "u", List.of("sku"), BigDecimal.ONE));
    }
    store.createAll(orders, Instant.parse("2025-01-01T00:00:00Z"));
    database.execute("analyze orders");
  }

  private static List<OrderId> ids(List<NewOrder> orders) {
    return orders.stream().map(NewOrder::orderId).toList();
  }

  private static boolean isDeadlock(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && "40P01".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static long deadlocksInTheDatabase() {
    return single("select deadlocks from pg_stat_database where datname = current_database()");
  }

  private static long backendsOfThisTest() {
    return single(
        "select count(*) from pg_stat_activity where application_name = '" + APPLICATION + "'");
  }

  private static long single(String query) {
    try (Connection connection = database.connect();
        PreparedStatement statement = connection.prepareStatement(query);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
