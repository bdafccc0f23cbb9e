package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.OrderlyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryServerTest extends ServerContractTest {

  @Override
  List<String> storeOptions() {
    return List.of("--in-memory");
  }

  @Test
  void theStartupLineNamesTheStore() {
    OrderlyServer server = start();

    assertThat(server.config().storeDescription()).startsWith("in memory");
    assertThat(server.toString()).contains(server.uri().toString()).contains("in memory");
  }

  @Test
  void aPortInUseIsReportedWithTheAddress() {
    OrderlyServer first = start();
    int port = first.uri().getPort();

    assertThatThrownBy(
            () ->
                OrderlyServer.start(
                    ServerConfig.parse(
                        List.of("--in-memory", "--host", "127.0.0.1", "--port", "" + port),
                        Map.of())))
        .isInstanceOf(OrderlyException.class)
        .hasMessageStartingWith("could not listen on 127.0.0.1:" + port + ": ");
    assertThat(first.isRunning()).isTrue();
  }
}
