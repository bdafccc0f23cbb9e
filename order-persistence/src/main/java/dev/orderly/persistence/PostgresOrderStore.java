package dev.orderly.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.orderly.core.OrderlyException;
import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.metrics.PendingBacklog;
import dev.orderly.core.metrics.StatusCounts;
import dev.orderly.core.order.IllegalStatusTransitionException;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderNotFoundException;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.Lease;
import dev.orderly.core.store.OrderPage;
import dev.orderly.core.store.OrderQuery;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.Subscription;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * An {@link OrderStore} on PostgreSQL 13 or later: durable, and shared by every engine that points
 * at the same database. Thread-safe.
 *
 * <p>Claims take a batch in one statement with {@code FOR UPDATE SKIP LOCKED} over a partial index
 * of what is claimable, so claimers never wait for each other and finished orders never slow them.
 * A claim of due orders starts where this store's last one ended, past the index entries of orders
 * claimed since the last vacuum; an order that became due before that point is claimed once a claim
 * from there comes back short, or within a second of the claims' clock. Concurrent creates and
 * completions are group-committed: the calls that wait together share one statement and one commit,
 * and each caller is answered only after that commit. Counts and processing-time sums are kept by
 * triggers in 64 counter rows, so statistics never scan the orders. NOTIFY tells idle engines on
 * other nodes that orders appeared.
 *
 * <pre>{@code
 * try (PostgresOrderStore store =
 *     PostgresOrderStore.builder("jdbc:postgresql://db:5432/shop", "orderly", secret)
 *         .poolSize(16)
 *         .build()) {
 *   ...
 * }
 * }</pre>
 */
public final class PostgresOrderStore implements OrderStore, AutoCloseable {

  public static final int DEFAULT_POOL_SIZE = 10;
  public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;
  public static final int DEFAULT_GROUP_COMMIT_THREADS = 2;

  private static final String COLUMNS =
      "order_id, user_id, item_ids, total_amount, status, attempts, created_at, updated_at,"
          + " started_at, completed_at, next_attempt_at, last_error, processed_by";

  /** The claim index's order, short of the order id, which the database sorts by its collation. */
  private static final Comparator<Due> DUE_KEY =
      Comparator.comparing(Due::dueAt).thenComparing(due -> due.order().createdAt());

  private static final Comparator<Due> EARLIEST_DUE_FIRST =
      DUE_KEY.thenComparing(due -> due.order().orderId());

  private final Jdbc jdbc;
  private final HikariDataSource ownedPool;
  private final int maxBatchSize;
  private final Sql sql;
  private final GroupCommitter<Creation, CreateResult> creates;
  private final GroupCommitter<Completion, Boolean> completions;
  private final Notifications notifications;

  private record Creation(NewOrder order, Instant now) {}

  private record Completion(Lease lease, Instant now) {}

  private record Due(Order order, Instant dueAt) {}

  /**
   * Where the last claim of due orders ended. The claim index keeps the entries of claimed orders
   * until a vacuum, and a claim from the head of the queue walks past all of them: after 70,000
   * claimed, half a millisecond per claim, growing with every order. A claim that starts here skips
   * them. An order can still become due behind it (a create that commits late, another node's
   * clock), so the head is scanned again whenever a claim from here comes back short, and at least
   * every {@link #HEAD_SCAN_INTERVAL}. Keyed by due time and creation time only: order ids sort by
   * the database's collation, and the few orders that share both times are scanned again.
   */
  private record ClaimCursor(Instant dueAt, Instant createdAt, Instant headScannedAt) {

    static ClaimCursor after(List<Due> claimed, Instant headScannedAt) {
      return claimed.stream()
          .max(DUE_KEY)
          .map(last -> new ClaimCursor(last.dueAt(), last.order().createdAt(), headScannedAt))
          .orElse(null);
    }

    boolean allowsSkippingTheHead(Instant now) {
      return !now.isBefore(headScannedAt) && now.isBefore(headScannedAt.plus(HEAD_SCAN_INTERVAL));
    }
  }

  /** The longest a claim cursor is followed before the head of the queue is scanned again. */
  static final Duration HEAD_SCAN_INTERVAL = Duration.ofSeconds(1);

  /** Where the next claim of due orders may start; null for the head of the queue. */
  private volatile ClaimCursor claimCursor;

  private PostgresOrderStore(Builder builder, DataSource dataSource, HikariDataSource ownedPool) {
    this.jdbc = new Jdbc(dataSource);
    this.ownedPool = ownedPool;
    this.maxBatchSize = builder.maxBatchSize;
    this.sql = new Sql(builder.schema);
    this.creates =
        new GroupCommitter<>(
            "orderly-create-commit", builder.groupCommitThreads, maxBatchSize, this::insert);
    this.completions =
        new GroupCommitter<>(
            "orderly-complete-commit",
            builder.groupCommitThreads,
            maxBatchSize,
            this::completeBatch);
    this.notifications = new Notifications(dataSource, "orderly-notifications");
  }

  /** A store over a pool of its own, to the database at {@code jdbcUrl}. */
  public static Builder builder(String jdbcUrl, String user, String password) {
    return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password, null);
  }

  /** A store over the caller's own data source, which the store will not close. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, null, null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  // --- create ---

  @Override
  public CreateResult create(NewOrder order, Instant now) {
    return creates.submit(new Creation(order, now));
  }

  @Override
  public CompletableFuture<CreateResult> createAsync(NewOrder order, Instant now) {
    return creates.submitAsync(new Creation(order, now));
  }

  @Override
  public List<CreateResult> createAll(List<NewOrder> orders, Instant now) {
    List<CreateResult> results = new ArrayList<>(orders.size());
    for (int from = 0; from < orders.size(); from += maxBatchSize) {
      List<Creation> chunk = new ArrayList<>();
      for (NewOrder order : orders.subList(from, Math.min(orders.size(), from + maxBatchSize))) {
        chunk.add(new Creation(order, now));
      }
      results.addAll(insert(chunk));
    }
    return results;
  }

  /** Inserts a batch in one statement and one commit; answers each creation in turn. */
  private List<CreateResult> insert(List<Creation> creations) {
    return jdbc.inTransaction(
        "create orders",
        connection -> {
          Map<OrderId, Creation> firsts = new LinkedHashMap<>();
          for (Creation creation : creations) {
            firsts.putIfAbsent(creation.order().orderId(), creation);
          }
          Set<OrderId> inserted = insertRows(connection, firsts.values());
          Map<OrderId, Order> current = new HashMap<>();
          if (inserted.size() < firsts.size()) {
            List<OrderId> existing = new ArrayList<>(firsts.keySet());
            existing.removeAll(inserted);
            findAll(connection, existing).forEach(order -> current.put(order.orderId(), order));
          }
          if (!inserted.isEmpty()) {
            notifyAvailable(connection);
          }
          List<CreateResult> results = new ArrayList<>(creations.size());
          for (Creation creation : creations) {
            OrderId orderId = creation.order().orderId();
            if (firsts.get(orderId) == creation && inserted.contains(orderId)) {
              Order created = Order.create(creation.order(), creation.now());
              current.put(orderId, created);
              results.add(CreateResult.created(created));
            } else {
              Order stored = current.get(orderId);
              if (stored == null) {
                throw new OrderlyException("order " + orderId + " vanished while being created");
              }
              results.add(
                  new CreateResult(
                      stored.hasSameContent(creation.order())
                          ? CreateResult.Outcome.DUPLICATE
                          : CreateResult.Outcome.CONFLICT,
                      stored));
            }
          }
          return results;
        });
  }

  private Set<OrderId> insertRows(Connection connection, Collection<Creation> creations)
      throws SQLException {
    int size = creations.size();
    String[] ids = new String[size];
    String[] users = new String[size];
    String[] items = new String[size];
    BigDecimal[] totals = new BigDecimal[size];
    Long[] times = new Long[size];
    int i = 0;
    for (Creation creation : creations) {
      NewOrder order = creation.order();
      ids[i] = order.orderId().value();
      users[i] = order.userId();
      items[i] = ArrayLiteral.of(order.itemIds());
      totals[i] = order.totalAmount();
      times[i] = Jdbc.micros(Order.micros(creation.now()));
      i++;
    }
    Set<OrderId> inserted = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(sql.insert)) {
      statement.setArray(1, connection.createArrayOf("text", ids));
      statement.setArray(2, connection.createArrayOf("text", users));
      statement.setArray(3, connection.createArrayOf("text", items));
      statement.setArray(4, connection.createArrayOf("numeric", totals));
      statement.setArray(5, connection.createArrayOf("int8", times));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          inserted.add(OrderId.of(rows.getString(1)));
        }
      }
    }
    return inserted;
  }

  private void notifyAvailable(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql.notify)) {
      statement.execute();
    }
  }

  // --- read ---

  @Override
  public Optional<Order> find(OrderId orderId) {
    return jdbc.once(
        "find order " + orderId,
        connection -> findAll(connection, List.of(orderId)).stream().findFirst());
  }

  private List<Order> findAll(Connection connection, Collection<OrderId> orderIds)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql.findAll)) {
      statement.setArray(1, textArray(connection, orderIds));
      return readAll(statement);
    }
  }

  @Override
  public OrderPage list(OrderQuery query) {
    StringBuilder where = new StringBuilder("true");
    List<Object> parameters = new ArrayList<>();
    if (query.status() != null) {
      where.append(" and status = ?");
      parameters.add(query.status().label());
    }
    if (query.userId() != null) {
      where.append(" and user_id = ?");
      parameters.add(query.userId());
    }
    if (query.cursor() != null) {
      where.append(" and (created_at, order_id) < (?, ?)");
      parameters.add(query.cursor().createdAt());
      parameters.add(query.cursor().orderId().value());
    }
    String select =
        "select "
            + COLUMNS
            + " from "
            + sql.orders
            + " where "
            + where
            + " order by created_at desc, order_id desc limit ?";
    parameters.add(query.limit() + 1);
    List<Order> found =
        jdbc.once(
            "list orders",
            connection -> {
              try (PreparedStatement statement = connection.prepareStatement(select)) {
                bind(statement, 1, parameters.toArray());
                return readAll(statement);
              }
            });
    return OrderPage.of(found, query.limit());
  }

  // --- claim ---

  @Override
  public List<ClaimedOrder> claimDue(String owner, int limit, Instant now, Duration leaseDuration) {
    Instant expiresAt = now.plus(leaseDuration);
    ClaimCursor cursor = claimCursor;
    List<Due> claimed = new ArrayList<>();
    if (cursor != null && cursor.allowsSkippingTheHead(now)) {
      claimed.addAll(claimDue(cursor, owner, limit, now, expiresAt));
    }
    if (claimed.size() < limit) {
      List<Due> fromHead = claimDue(null, owner, limit - claimed.size(), now, expiresAt);
      claimed.addAll(fromHead);
      // What the head still holds after these is where the next claim starts.
      claimCursor = ClaimCursor.after(fromHead, now);
    } else if (cursor != null) {
      claimCursor = ClaimCursor.after(claimed, cursor.headScannedAt());
    }
    return toClaimed(claimed, expiresAt);
  }

  /** Claims due orders from the head of the queue, or from {@code cursor} on. */
  private List<Due> claimDue(
      ClaimCursor cursor, String owner, int limit, Instant now, Instant expiresAt) {
    return jdbc.once(
        "claim due orders",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(cursor == null ? sql.claimDue : sql.claimDueFrom)) {
            int next = 1;
            Jdbc.setTime(statement, next++, now);
            if (cursor != null) {
              Jdbc.setTime(statement, next++, cursor.dueAt());
              Jdbc.setTime(statement, next++, cursor.createdAt());
            }
            statement.setInt(next++, limit);
            bindClaim(statement, next, owner, now, expiresAt);
            return readClaimed(statement);
          }
        });
  }

  @Override
  public List<ClaimedOrder> claimByIds(
      Collection<OrderId> orderIds, String owner, Instant now, Duration leaseDuration) {
    if (orderIds.isEmpty()) {
      return List.of();
    }
    Instant expiresAt = now.plus(leaseDuration);
    return jdbc.once(
        "claim orders by id",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql.claimByIds)) {
            statement.setArray(1, textArray(connection, new LinkedHashSet<>(orderIds)));
            Jdbc.setTime(statement, 2, now);
            bindClaim(statement, 3, owner, now, expiresAt);
            return toClaimed(readClaimed(statement), expiresAt);
          }
        });
  }

  private static void bindClaim(
      PreparedStatement statement, int first, String owner, Instant now, Instant expiresAt)
      throws SQLException {
    bind(statement, first, owner, expiresAt, now, now);
  }

  private static List<Due> readClaimed(PreparedStatement statement) throws SQLException {
    List<Due> claimed = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        claimed.add(new Due(OrderRows.read(rows), Jdbc.getTime(rows, "due_at")));
      }
    }
    return claimed;
  }

  private static List<ClaimedOrder> toClaimed(List<Due> claimed, Instant expiresAt) {
    claimed.sort(EARLIEST_DUE_FIRST);
    Instant leaseEnd = Order.micros(expiresAt);
    return claimed.stream().map(due -> ClaimedOrder.of(due.order(), leaseEnd)).toList();
  }

  // --- leases ---

  @Override
  public List<Lease> renew(Collection<Lease> leases, Instant expiresAt) {
    if (leases.isEmpty()) {
      return List.of();
    }
    List<Lease> asked = List.copyOf(leases);
    return jdbc.once(
        "renew leases",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql.renew)) {
            bindLeases(connection, statement, 1, asked);
            Long[] times = new Long[asked.size()];
            Arrays.fill(times, Jdbc.micros(Order.micros(expiresAt)));
            statement.setArray(4, connection.createArrayOf("int8", times));
            Set<Lease> held = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                held.add(
                    new Lease(OrderId.of(rows.getString(1)), rows.getString(2), rows.getInt(3)));
              }
            }
            return asked.stream().filter(held::contains).toList();
          }
        });
  }

  @Override
  public boolean complete(Lease lease, Instant now) {
    return completions.submit(new Completion(lease, now));
  }

  @Override
  public List<Lease> completeAll(Collection<Lease> leases, Instant now) {
    List<Completion> all = new ArrayList<>(leases.size());
    for (Lease lease : leases) {
      all.add(new Completion(lease, now));
    }
    List<Lease> completed = new ArrayList<>(all.size());
    for (int from = 0; from < all.size(); from += maxBatchSize) {
      List<Completion> chunk = all.subList(from, Math.min(all.size(), from + maxBatchSize));
      List<Boolean> answers = completeBatch(chunk);
      for (int i = 0; i < chunk.size(); i++) {
        if (answers.get(i)) {
          completed.add(chunk.get(i).lease());
        }
      }
    }
    return completed;
  }

  /** Completes a batch in one statement; answers, for each, whether its lease still held. */
  private List<Boolean> completeBatch(List<Completion> batch) {
    return jdbc.inTransaction(
        "complete orders",
        connection -> {
          int size = batch.size();
          List<Lease> leases = new ArrayList<>(size);
          Long[] times = new Long[size];
          for (int i = 0; i < size; i++) {
            leases.add(batch.get(i).lease());
            times[i] = Jdbc.micros(Order.micros(batch.get(i).now()));
          }
          Set<Lease> completed = new HashSet<>();
          try (PreparedStatement statement = connection.prepareStatement(sql.complete)) {
            bindLeases(connection, statement, 1, leases);
            statement.setArray(4, connection.createArrayOf("int8", times));
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                completed.add(
                    new Lease(OrderId.of(rows.getString(1)), rows.getString(2), rows.getInt(3)));
              }
            }
          }
          List<Boolean> answers = new ArrayList<>(size);
          for (Completion completion : batch) {
            answers.add(completed.contains(completion.lease()));
          }
          return answers;
        });
  }

  @Override
  public boolean fail(Lease lease, String error, Instant now) {
    return finish("fail order", sql.fail, lease, false, now, now, truncate(error));
  }

  @Override
  public boolean retryLater(Lease lease, String error, Instant nextAttemptAt, Instant now) {
    return finish(
        "reschedule order", sql.retryLater, lease, false, now, truncate(error), nextAttemptAt);
  }

  @Override
  public boolean release(Lease lease, Instant now) {
    return finish("release order", sql.release, lease, true, now, now);
  }

  /** Runs one fenced single-order statement: {@code values} first, then the lease. */
  private boolean finish(
      String what, String statementText, Lease lease, boolean announce, Object... values) {
    return jdbc.inTransaction(
        what + " " + lease.orderId(),
        connection -> {
          int changed;
          try (PreparedStatement statement = connection.prepareStatement(statementText)) {
            int next = bind(statement, 1, values);
            statement.setString(next, lease.orderId().value());
            statement.setString(next + 1, lease.owner());
            statement.setInt(next + 2, lease.attempt());
            changed = statement.executeUpdate();
          }
          if (changed > 0 && announce) {
            notifyAvailable(connection);
          }
          return changed > 0;
        });
  }

  /** Binds {@code values} from {@code first} on; answers the next free index. */
  private static int bind(PreparedStatement statement, int first, Object... values)
      throws SQLException {
    int index = first;
    for (Object value : values) {
      if (value instanceof Instant time) {
        Jdbc.setTime(statement, index++, time);
      } else {
        statement.setObject(index++, value);
      }
    }
    return index;
  }

  @Override
  public int reclaimExpired(Instant now, int maxAttempts) {
    return jdbc.inTransaction(
        "reclaim expired leases",
        connection -> {
          int reclaimed;
          try (PreparedStatement statement = connection.prepareStatement(sql.reclaim)) {
            bind(statement, 1, maxAttempts, now, now);
            reclaimed = statement.executeUpdate();
          }
          if (reclaimed > 0) {
            notifyAvailable(connection);
          }
          return reclaimed;
        });
  }

  // --- cancel and retry ---

  @Override
  public Order cancel(OrderId orderId, Instant now) {
    return change("cancel", sql.cancel, orderId, OrderStatus.CANCELLED, false, now);
  }

  @Override
  public Order retry(OrderId orderId, Instant now) {
    return change("retry", sql.retry, orderId, OrderStatus.PENDING, true, now, now);
  }

  private Order change(
      String what,
      String statementText,
      OrderId orderId,
      OrderStatus to,
      boolean announce,
      Instant... times) {
    return jdbc.inTransaction(
        what + " order " + orderId,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(statementText)) {
            int next = bind(statement, 1, (Object[]) times);
            statement.setString(next, orderId.value());
            List<Order> changed = readAll(statement);
            if (!changed.isEmpty()) {
              if (announce) {
                notifyAvailable(connection);
              }
              return changed.get(0);
            }
          }
          Order current =
              findAll(connection, List.of(orderId)).stream()
                  .findFirst()
                  .orElseThrow(() -> new OrderNotFoundException(orderId));
          throw new IllegalStatusTransitionException(orderId, current.status(), to);
        });
  }

  // --- statistics ---

  @Override
  public OrderStatistics statistics() {
    return jdbc.once(
        "read statistics",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql.statistics);
              ResultSet rows = statement.executeQuery()) {
            rows.next();
            Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
            for (OrderStatus status : OrderStatus.values()) {
              counts.put(status, rows.getLong(status.name().toLowerCase(java.util.Locale.ROOT)));
            }
            return new OrderStatistics(
                StatusCounts.of(counts),
                rows.getLong("processing_micros"),
                rows.getLong("started"),
                rows.getLong("queue_wait_micros"));
          }
        });
  }

  /**
   * Two index reads, each bounded: the due count walks {@code orders_due} (Pending only, by due
   * time) and stops after {@code dueLimit + 1} entries, so a backlog of millions costs no more than
   * the limit; the oldest Pending order is the last entry of the Pending range of {@code
   * orders_by_status}.
   */
  @Override
  public PendingBacklog pendingBacklog(Instant now, int dueLimit) {
    if (dueLimit < 1) {
      throw new IllegalArgumentException("dueLimit must be >= 1, was " + dueLimit);
    }
    return jdbc.once(
        "read the pending backlog",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql.pendingBacklog)) {
            Jdbc.setTime(statement, 1, now);
            statement.setLong(2, (long) dueLimit + 1);
            try (ResultSet rows = statement.executeQuery()) {
              rows.next();
              long due = rows.getLong("due");
              return new PendingBacklog(
                  now, Math.min(due, dueLimit), due > dueLimit, Jdbc.getTime(rows, "oldest"));
            }
          }
        });
  }

  @Override
  public Subscription onOrdersAvailable(Runnable listener) {
    Runnable unsubscribe = notifications.subscribe(listener);
    return unsubscribe::run;
  }

  /** Stops the group committers and the notification listener, and closes the pool it owns. */
  @Override
  public void close() {
    creates.close();
    completions.close();
    notifications.close();
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  // --- helpers ---

  private static List<Order> readAll(PreparedStatement statement) throws SQLException {
    List<Order> orders = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        orders.add(OrderRows.read(rows));
      }
    }
    return orders;
  }

  private static Array textArray(Connection connection, Collection<OrderId> orderIds)
      throws SQLException {
    return connection.createArrayOf(
        "text", orderIds.stream().map(OrderId::value).toArray(String[]::new));
  }

  private static void bindLeases(
      Connection connection, PreparedStatement statement, int first, List<Lease> leases)
      throws SQLException {
    statement.setArray(
        first,
        connection.createArrayOf(
            "text", leases.stream().map(l -> l.orderId().value()).toArray(String[]::new)));
    statement.setArray(
        first + 1,
        connection.createArrayOf("text", leases.stream().map(Lease::owner).toArray(String[]::new)));
    statement.setArray(
        first + 2,
        connection.createArrayOf(
            "int4", leases.stream().map(Lease::attempt).toArray(Integer[]::new)));
  }

  private static String truncate(String error) {
    if (error == null || error.length() <= Order.MAX_ERROR_LENGTH) {
      return error;
    }
    return error.substring(0, Order.MAX_ERROR_LENGTH);
  }

  /** The statements, with the table names of one schema in them. */
  private static final class Sql {
    final String orders;
    final String insert;
    final String findAll;
    final String claimDue;
    final String claimDueFrom;
    final String claimByIds;
    final String renew;
    final String complete;
    final String fail;
    final String retryLater;
    final String release;
    final String reclaim;
    final String cancel;
    final String retry;
    final String statistics;
    final String pendingBacklog;
    final String notify = "select pg_notify('" + Notifications.CHANNEL + "', '')";

    Sql(String schema) {
      String prefix = schema == null ? "" : quote(schema) + ".";
      orders = prefix + "orders";
      // Lease checks test lease_expires_at, which the schema ties to Processing, not status: a
      // status predicate tempts the planner into orders_by_status, whose Processing range fills
      // with dead entries under load (EXPLAIN showed it for the batch completion), not the key.
      String fenced =
          " where order_id = ? and lease_expires_at is not null and processed_by = ?"
              + " and attempts = ?";
      // A claim commits without waiting for its WAL flush (synchronous_commit off for its own
      // transaction only): lost in a database crash, it only returns the order to Pending, as an
      // expired lease would, and the fenced completion of a lost claim matches nothing. The
      // completion that follows does wait, and its flush covers the claim. Measured: the drain
      // 1.3-1.6 x faster, one flush per order instead of two.
      String claimSet =
          " set status = 'Processing', attempts = o.attempts + 1, processed_by = ?,"
              + " lease_expires_at = ?, started_at = coalesce(o.started_at, ?),"
              + " updated_at = ?, next_attempt_at = null"
              + " from picked, (select set_config('synchronous_commit', 'off', true)) relaxed"
              + " where o.order_id = picked.order_id"
              + " returning o.*, picked.due_at";
      insert =
          "insert into "
              + orders
              + " (order_id, user_id, item_ids, total_amount, status, attempts, created_at,"
              + " updated_at, next_attempt_at)"
              + " select t.order_id, t.user_id, t.items::text[], t.total, 'Pending', 0, t.at, t.at,"
              + " t.at"
              + " from (select order_id, user_id, items, total,"
              + " timestamptz 'epoch' + at_us * interval '1 microsecond' as at"
              + " from unnest(?::text[], ?::text[], ?::text[], ?::numeric[], ?::int8[])"
              + " as u(order_id, user_id, items, total, at_us)) t"
              + " on conflict (order_id) do nothing returning order_id";
      findAll = "select " + COLUMNS + " from " + orders + " where order_id = any(?)";
      // From the head of the queue, or from where the last claim ended (see ClaimCursor).
      String claimDueWhere =
          "with picked as (select order_id, next_attempt_at as due_at from "
              + orders
              + " where status = 'Pending' and next_attempt_at <= ?";
      String claimDueRest =
          " order by next_attempt_at, created_at, order_id limit ?"
              + " for update skip locked)"
              + " update "
              + orders
              + " o"
              + claimSet;
      claimDue = claimDueWhere + claimDueRest;
      claimDueFrom = claimDueWhere + " and (next_attempt_at, created_at) >= (?, ?)" + claimDueRest;
      claimByIds =
          "with picked as (select order_id, next_attempt_at as due_at from "
              + orders
              // next_attempt_at is set exactly while Pending (a check constraint); see fenced.
              + " where order_id = any(?) and next_attempt_at <= ?"
              + " for update skip locked)"
              + " update "
              + orders
              + " o"
              + claimSet;
      // Batched lease changes lock their rows in order_id order, first, in a locking subquery
      // (LockRows above a Sort in EXPLAIN), and only then update them: an update joined straight
      // to the unnest locks in whatever order its plan visits the rows (the array's, under a
      // nested loop), so a renewal and a completion of the same orders listed in different orders
      // deadlocked (40P01). A lease that another transaction ends meanwhile fails the re-check of
      // the locking subquery and is left out. The other writers cannot take part in such a cycle:
      // fail, retryLater and release change one row, claims and reclaims skip locked rows.
      String lockLeases =
          " select o.order_id, t.at from "
              + orders
              + " o join (select order_id, owner, attempt,"
              + " timestamptz 'epoch' + at_us * interval '1 microsecond' as at"
              + " from unnest(?::text[], ?::text[], ?::int4[], ?::int8[])"
              + " as u(order_id, owner, attempt, at_us)) t"
              + " on o.order_id = t.order_id and o.processed_by = t.owner"
              + " and o.attempts = t.attempt"
              + " where o.lease_expires_at is not null order by o.order_id for update of o";
      String leasesLocked =
          " from locked where o.order_id = locked.order_id"
              + " returning o.order_id, o.processed_by, o.attempts";
      renew =
          "with locked as ("
              + lockLeases
              + ") update "
              + orders
              + " o set lease_expires_at = locked.at"
              + leasesLocked;
      complete =
          "with locked as ("
              + lockLeases
              + ") update "
              + orders
              + " o set status = 'Completed', completed_at = locked.at, updated_at = locked.at,"
              + " lease_expires_at = null"
              + leasesLocked;
      fail =
          "update "
              + orders
              + " set status = 'Failed', completed_at = ?, updated_at = ?,"
              + " last_error = ?, lease_expires_at = null"
              + fenced;
      retryLater =
          "update "
              + orders
              + " set status = 'Pending', updated_at = ?, last_error = ?, next_attempt_at = ?,"
              + " lease_expires_at = null"
              + fenced;
      release =
          "update "
              + orders
              + " set status = 'Pending', updated_at = ?, next_attempt_at = ?,"
              + " lease_expires_at = null"
              + fenced;
      reclaim =
          "with expired as (select order_id, attempts >= ? as last from "
              + orders
              + " where status = 'Processing' and lease_expires_at <= ?"
              + " for update skip locked), clock as (select ?::timestamptz as now)"
              + " update "
              + orders
              + " o set status = case when expired.last then 'Failed' else 'Pending' end,"
              + " next_attempt_at = case when expired.last then null else clock.now end,"
              + " completed_at = case when expired.last then clock.now else o.completed_at end,"
              + " last_error = 'lease of node ' || o.processed_by || ' expired on attempt '"
              + " || o.attempts || case when expired.last then '; no attempts left' else '' end,"
              + " lease_expires_at = null, updated_at = clock.now"
              + " from expired, clock where o.order_id = expired.order_id";
      cancel =
          "update "
              + orders
              + " set status = 'Cancelled', updated_at = ?, next_attempt_at = null"
              + " where order_id = ? and status = 'Pending' returning "
              + COLUMNS;
      retry =
          "update "
              + orders
              + " set status = 'Pending', updated_at = ?, next_attempt_at = ?,"
              + " completed_at = null"
              + " where order_id = ? and status = 'Failed' returning "
              + COLUMNS;
      pendingBacklog =
          "select (select count(*) from (select 1 from "
              + orders
              + " where status = 'Pending' and next_attempt_at <= ? limit ?) due) as due,"
              + " (select min(created_at) from "
              + orders
              + " where status = 'Pending') as oldest";
      statistics =
          "select sum(pending) as pending, sum(processing) as processing,"
              + " sum(completed) as completed, sum(failed) as failed,"
              + " sum(cancelled) as cancelled, sum(processing_micros) as processing_micros,"
              + " sum(started) as started, sum(queue_wait_micros) as queue_wait_micros from "
              + prefix
              + "order_counters";
    }

    private static String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }
  }

  /**
   * Collects a store's settings; {@link #build()} validates them, migrates the schema and starts
   * the store. Not thread-safe.
   */
  public static final class Builder {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final DataSource dataSource;
    private int poolSize = DEFAULT_POOL_SIZE;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private int groupCommitThreads = DEFAULT_GROUP_COMMIT_THREADS;
    private String schema;
    private boolean migrate = true;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private MetricsTrackerFactory metricsTrackerFactory;

    private Builder(String jdbcUrl, String user, String password, DataSource dataSource) {
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
      this.dataSource = dataSource;
    }

    /** Connections in the store's own pool; default {@value #DEFAULT_POOL_SIZE}. */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /** The most orders one group commit or bulk statement writes; default 1,000. */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** How many transactions of grouped creates (and of completions) may run at once. */
    public Builder groupCommitThreads(int groupCommitThreads) {
      this.groupCommitThreads = groupCommitThreads;
      return this;
    }

    /** The schema of Orderly's tables, created when missing; default the connection's own. */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /** Whether {@link #build()} applies pending migrations; default true. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** How long a caller waits for a pooled connection before the store reports it unavailable. */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /**
     * Reports the store's own connection pool to a metrics library, such as HikariCP's {@code
     * MicrometerMetricsTrackerFactory}; default none. Ignored for a store over a given {@code
     * DataSource}, whose pool is the caller's.
     */
    public Builder metricsTrackerFactory(MetricsTrackerFactory metricsTrackerFactory) {
      this.metricsTrackerFactory = metricsTrackerFactory;
      return this;
    }

    /**
     * Validates the settings, applies migrations and starts the store.
     *
     * @throws IllegalArgumentException naming the first option with a bad value
     */
    public PostgresOrderStore build() {
      if (poolSize < 2) {
        throw new IllegalArgumentException("poolSize must be >= 2, was " + poolSize);
      }
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
      }
      if (groupCommitThreads < 1) {
        throw new IllegalArgumentException(
            "groupCommitThreads must be >= 1, was " + groupCommitThreads);
      }
      if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
        throw new IllegalArgumentException(
            "connectionTimeout must be at least 250 ms, was " + connectionTimeout);
      }
      HikariDataSource pool = dataSource == null ? pool() : null;
      DataSource source = pool != null ? pool : dataSource;
      try {
        if (migrate) {
          Migrations.apply(source, schema);
        }
        return new PostgresOrderStore(this, source, pool);
      } catch (RuntimeException e) {
        if (pool != null) {
          pool.close();
        }
        throw e;
      }
    }

    private HikariDataSource pool() {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(poolSize);
      config.setPoolName("orderly");
      config.setConnectionTimeout(connectionTimeout.toMillis());
      // Fail at once when the database is down at start, rather than on the first request.
      config.setInitializationFailTimeout(1);
      if (schema != null) {
        config.setSchema(schema);
      }
      if (metricsTrackerFactory != null) {
        config.setMetricsTrackerFactory(metricsTrackerFactory);
      }
      return new HikariDataSource(config);
    }
  }
}
