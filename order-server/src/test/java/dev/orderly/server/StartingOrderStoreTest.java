package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.OrderlyException;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.store.OrderStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StartingOrderStoreTest {

  @Test
  void callsGoToTheStoreOnceItIsOpen() {
    CompletableFuture<InMemoryOrderStore> opening = new CompletableFuture<>();
    StartingOrderStore store = new StartingOrderStore(opening);
    InMemoryOrderStore target = new InMemoryOrderStore();
    opening.complete(target);

    store.create(
        NewOrder.of("11", "u", List.of("a"), new BigDecimal("1.00")),
        Instant.parse("2026-01-01T00:00:00Z"));

    assertThat(target.find(OrderId.of("11"))).isPresent();
    assertThat(store.find(OrderId.of("11"))).isPresent();
  }

  @Test
  void aFailedOpeningIsThrownAsItself() {
    OrderlyException failure = new OrderlyException("could not start embedded PostgreSQL");
    StartingOrderStore store =
        new StartingOrderStore(CompletableFuture.<OrderStore>failedFuture(failure));

    assertThatThrownBy(store::awaitOpen).isSameAs(failure);
    assertThatThrownBy(store::statistics).isSameAs(failure);
  }

  @Test
  void everyMethodOfTheStoreInterfaceIsForwarded() {
    // A method added to OrderStore with a default body would otherwise bypass the real store.
    for (Method method : OrderStore.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      assertThat(declares(method)).as("StartingOrderStore forwards %s", method).isTrue();
    }
  }

  private static boolean declares(Method method) {
    try {
      StartingOrderStore.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
