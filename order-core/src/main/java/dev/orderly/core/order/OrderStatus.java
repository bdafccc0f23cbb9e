package dev.orderly.core.order;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where an order is in its life, and the one table of the moves between statuses that are allowed.
 *
 * <pre>
 * Pending ──claim──▶ Processing ──▶ Completed
 *    │  ▲                 │  ├───▶ Failed ──retry──▶ Pending
 *    │  └─retry later,────┘
 *    │    release, lease expiry
 *    └──cancel──▶ Cancelled
 * </pre>
 */
public enum OrderStatus {
  PENDING("Pending"),
  PROCESSING("Processing"),
  COMPLETED("Completed"),
  FAILED("Failed"),
  CANCELLED("Cancelled");

  private static final Map<OrderStatus, Set<OrderStatus>> TRANSITIONS =
      new EnumMap<>(OrderStatus.class);

  static {
    TRANSITIONS.put(PENDING, EnumSet.of(PROCESSING, CANCELLED));
    TRANSITIONS.put(PROCESSING, EnumSet.of(COMPLETED, FAILED, PENDING));
    TRANSITIONS.put(FAILED, EnumSet.of(PENDING));
    TRANSITIONS.put(COMPLETED, EnumSet.noneOf(OrderStatus.class));
    TRANSITIONS.put(CANCELLED, EnumSet.noneOf(OrderStatus.class));
  }

  private final String label;

  OrderStatus(String label) {
    this.label = label;
  }

  /** The name users see on the wire and in the database, for example {@code "Pending"}. */
  public String label() {
    return label;
  }

  /**
   * Parses a label ({@code "Pending"}) or a constant name ({@code "PENDING"}), ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
   */
  public static OrderStatus fromLabel(String text) {
    if (text != null) {
      String wanted = text.trim().toUpperCase(Locale.ROOT);
      for (OrderStatus status : values()) {
        if (status.name().equals(wanted)) {
          return status;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown order status '"
            + text
            + "'; expected one of Pending, Processing, Completed, Failed, Cancelled");
  }

  /** The statuses an order in this status may move to. */
  public Set<OrderStatus> nextStatuses() {
    return Collections.unmodifiableSet(TRANSITIONS.get(this));
  }

  public boolean canMoveTo(OrderStatus next) {
    return TRANSITIONS.get(this).contains(next);
  }

  /**
   * Whether the engine has nothing more to do with the order (an operator may still retry a Failed
   * one).
   */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  @Override
  public String toString() {
    return label;
  }
}
