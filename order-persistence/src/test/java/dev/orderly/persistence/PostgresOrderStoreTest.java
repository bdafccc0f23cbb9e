package dev.orderly.persistence;

import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.OrderStoreContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL store passes the whole store contract, unchanged. */
class PostgresOrderStoreTest extends OrderStoreContractTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static PostgresOrderStore shared;

  @Override
  protected OrderStore createStore() throws Exception {
    if (shared == null) {
      shared = database.store().build();
    }
    database.execute("truncate orders");
    return shared;
  }

  @org.junit.jupiter.api.AfterAll
  static void closeStore() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }
}
