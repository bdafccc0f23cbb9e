package dev.orderly.server;

import dev.orderly.persistence.TestDatabase;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bad-input corpus against a server on PostgreSQL; rows are also counted in the table. */
class PostgresBadInputTest extends BadInputCorpusTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  @Override
  List<String> storeOptions() {
    return PostgresServerTest.databaseOptions(database);
  }

  @Override
  OptionalLong storedRows() {
    return OptionalLong.of(
        PostgresServerTest.storedStatuses(database).values().stream()
            .mapToLong(Integer::longValue)
            .sum());
  }
}
