package dev.orderly.benchmarks;

import dev.orderly.core.store.CreateResult;
import dev.orderly.persistence.PostgresOrderStore;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What group commit buys: durable single-order creates from 64 callers through {@link
 * PostgresOrderStore} (many callers' rows share one transaction) against the same single-row insert
 * done by each caller on its own connection in autocommit (one commit per row, though PostgreSQL
 * may still share a WAL flush among concurrent commits). Compare the two scores; the ratio is the
 * point, the absolute figures belong to the machine's disk. Run by JMH, which shares each state as
 * its scope says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(GroupCommitBenchmark.CALLERS)
public class GroupCommitBenchmark {

  /** Concurrent callers, as many as an HTTP front end with asynchronous creates may have. */
  static final int CALLERS = 64;

  private static final String[] ITEMS = {"sku-1", "sku-2"};
  private static final BigDecimal TOTAL = new BigDecimal("100.00");

  /** The store of one trial, in its own schema. Thread-safe. */
  @State(Scope.Benchmark)
  public static class GroupCommit {
    final BenchDatabase database = new BenchDatabase();
    final Orders orders = new Orders("group-");
    String schema;
    PostgresOrderStore store;

    @Setup(Level.Trial)
    public void open() {
      schema = BenchDatabase.newSchemaName("orderly_bench_group");
      store = database.store(schema).build();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      store.close();
      database.dropSchema(schema);
    }
  }

  /** The baseline's table: the orders table's columns, key and indexes that an insert touches. */
  @State(Scope.Benchmark)
  public static class PlainTable {
    final BenchDatabase database = new BenchDatabase();
    final Orders orders = new Orders("plain-");
    String schema;

    @Setup(Level.Trial)
    public void create() throws SQLException {
      schema = BenchDatabase.newSchemaName("orderly_bench_plain");
      database.execute(
          "create schema "
              + schema
              + "; create table "
              + schema
              + ".orders (order_id text collate \"C\" primary key, user_id text not null,"
              + " item_ids text[] not null, total_amount numeric(17, 2) not null,"
              + " status text not null, attempts integer not null default 0,"
              + " created_at timestamptz not null, updated_at timestamptz not null,"
              + " next_attempt_at timestamptz);"
              + " create index on "
              + schema
              + ".orders (next_attempt_at, created_at, order_id) where status = 'Pending';"
              + " create index on "
              + schema
              + ".orders (created_at desc, order_id desc);"
              + " create index on "
              + schema
              + ".orders (user_id, created_at desc, order_id desc);"
              + " create index on "
              + schema
              + ".orders (status, created_at desc, order_id desc)");
    }

    @TearDown(Level.Trial)
    public void drop() throws SQLException {
      database.dropSchema(schema);
    }
  }

  /** One caller's own connection, in autocommit: every insert is its own durable transaction. */
  @State(Scope.Thread)
  public static class PlainConnection {
    Connection connection;
    PreparedStatement insert;

    @Setup(Level.Trial)
    public void open(PlainTable table) throws SQLException {
      connection = table.database.connect();
      connection.setAutoCommit(true);
      insert =
          connection.prepareStatement(
              "insert into "
                  + table.schema
                  + ".orders (order_id, user_id, item_ids, total_amount, status, created_at,"
                  + " updated_at, next_attempt_at) values (?, ?, ?, ?, 'Pending', ?, ?, ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      insert.close();
      connection.close();
    }
  }

  /** A durable create through the store's group commit. */
  @Benchmark
  public CreateResult groupCommit(GroupCommit state) {
    return state.store.create(state.orders.next(), Instant.now());
  }

  /** The same durable single-row insert, one transaction per row, without group commit. */
  @Benchmark
  public int autocommitInsert(PlainTable table, PlainConnection plain) throws SQLException {
    var order = table.orders.next();
    Timestamp now = Timestamp.from(Instant.now());
    Array items = plain.connection.createArrayOf("text", ITEMS);
    PreparedStatement insert = plain.insert;
    insert.setString(1, order.orderId().value());
    insert.setString(2, order.userId());
    insert.setArray(3, items);
    insert.setBigDecimal(4, TOTAL);
    insert.setTimestamp(5, now);
    insert.setTimestamp(6, now);
    insert.setTimestamp(7, now);
    return insert.executeUpdate();
  }
}
