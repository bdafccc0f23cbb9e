package dev.orderly.core.store;

/** The in-memory store passes the whole store contract. */
class InMemoryOrderStoreTest extends OrderStoreContractTest {

  @Override
  protected OrderStore createStore() {
    return new InMemoryOrderStore();
  }
}
