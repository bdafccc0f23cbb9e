package dev.orderly.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A test-only trigger that writes every status change of an order to a table, so tests count state
 * transitions in the database itself rather than trusting final rows.
 */
final class TransitionLog {

  private TransitionLog() {}

  static void install(TestDatabase database) throws SQLException {
    database.execute(
        "create table order_transitions (order_id text not null, from_status text not null,"
            + " to_status text not null, node text)",
        "create function log_transition() returns trigger language plpgsql as $$ begin"
            + " insert into order_transitions values"
            + " (new.order_id, old.status, new.status, new.processed_by); return null; end $$",
        "create trigger orders_log_transitions after update on orders for each row"
            + " when (old.status is distinct from new.status) execute function log_transition()");
  }

  /** How many changes from {@code from} to {@code to} were logged. */
  static long count(TestDatabase database, String from, String to) throws SQLException {
    return single(
        database,
        "select count(*) from order_transitions where from_status = '"
            + from
            + "' and to_status = '"
            + to
            + "'");
  }

  /** How many distinct orders were ever moved to Completed. */
  static long ordersCompleted(TestDatabase database) throws SQLException {
    return single(
        database,
        "select count(distinct order_id) from order_transitions where to_status = 'Completed'");
  }

  static long single(TestDatabase database, String query) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
