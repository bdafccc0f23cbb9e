package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.order.NewOrder;
import dev.orderly.core.store.ClaimedOrder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A claim of due orders starts where the last one ended, past the claim index's entries of orders
 * already claimed, and still finds an order that became due behind that point: at once when the
 * claim from there comes back short, and otherwise once the head of the queue is due for a scan.
 */
class ClaimCursorTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant LATER = T0.plusSeconds(60);
  private static final Duration LEASE = Duration.ofMinutes(5);

  private PostgresOrderStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = database.store().build();
    database.execute("truncate orders");
    // Due one millisecond apart, in this order.
    for (int i = 1; i <= 4; i++) {
      store.create(order("o" + i), T0.plusMillis(i));
    }
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void anOrderDueBehindTheLastClaimIsClaimedOnceTheHeadIsScannedAgain() {
    assertThat(ids(store.claimDue("node", 2, LATER, LEASE))).containsExactly("o1", "o2");
    // Committed after that claim but due before what it took, as a late group commit can be.
    store.create(order("late"), T0);

    assertThat(ids(store.claimDue("node", 1, LATER.plusMillis(500), LEASE)))
        .as("within a second of the last scan of the head, the claim goes on from where it was")
        .containsExactly("o3");
    assertThat(
            ids(
                store.claimDue(
                    "node", 1, LATER.plus(PostgresOrderStore.HEAD_SCAN_INTERVAL), LEASE)))
        .as("then the head is scanned again")
        .containsExactly("late");
  }

  @Test
  void aShortClaimFromTheLastPositionScansTheHeadInTheSameCall() {
    assertThat(ids(store.claimDue("node", 3, LATER, LEASE))).containsExactly("o1", "o2", "o3");
    store.create(order("late"), T0);

    assertThat(ids(store.claimDue("node", 10, LATER.plusMillis(1), LEASE)))
        .as("earliest due first")
        .containsExactly("late", "o4");
    assertThat(store.claimDue("node", 10, LATER.plusMillis(2), LEASE)).isEmpty();
  }

  @Test
  void ordersSharingTheLastClaimsDueTimeComeBeforeLaterOnes() throws Exception {
    database.execute("truncate orders");
    // One group commit: every order of it due at the same instant; then three due later.
    store.createAll(List.of(order("a"), order("b"), order("c"), order("d"), order("e")), T0);
    for (String id : List.of("f", "g", "h")) {
      store.create(order(id), T0.plusMillis(1));
    }

    List<List<String>> claims = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      claims.add(ids(store.claimDue("node", 2, LATER.plusMillis(i), LEASE)));
    }

    assertThat(claims)
        .containsExactly(
            List.of("a", "b"), List.of("c", "d"), List.of("e", "f"), List.of("g", "h"), List.of());
  }

  private static NewOrder order(String id) {
    return NewOrder.of(id, "user", List.of("sku"), BigDecimal.ONE);
  }

  private static List<String> ids(List<ClaimedOrder> claimed) {
    return claimed.stream().map(c -> c.order().orderId().value()).toList();
  }
}
