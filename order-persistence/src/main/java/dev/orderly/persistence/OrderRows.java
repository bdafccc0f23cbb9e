package dev.orderly.persistence;

import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads orders from rows of the {@code orders} table. */
final class OrderRows {

  private OrderRows() {}

  static Order read(ResultSet rows) throws SQLException {
    return new Order(
        OrderId.of(rows.getString("order_id")),
        rows.getString("user_id"),
        List.of((String[]) rows.getArray("item_ids").getArray()),
        rows.getBigDecimal("total_amount"),
        OrderStatus.fromLabel(rows.getString("status")),
        rows.getInt("attempts"),
        Jdbc.getTime(rows, "created_at"),
        Jdbc.getTime(rows, "updated_at"),
        Jdbc.getTime(rows, "started_at"),
        Jdbc.getTime(rows, "completed_at"),
        Jdbc.getTime(rows, "next_attempt_at"),
        rows.getString("last_error"),
        rows.getString("processed_by"));
  }
}
