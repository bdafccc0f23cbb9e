package dev.orderly.server;

import java.util.List;
import java.util.OptionalLong;

/** The bad-input corpus against a server with the in-memory store. */
class InMemoryBadInputTest extends BadInputCorpusTest {

  @Override
  List<String> storeOptions() {
    return List.of("--in-memory");
  }

  @Override
  OptionalLong storedRows() {
    return OptionalLong.empty();
  }
}
