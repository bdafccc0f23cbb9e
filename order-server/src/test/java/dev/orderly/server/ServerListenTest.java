package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Where the server listens, and what it says about it: this machine only by default, every
 * interface on purpose, with a warning when nothing guards it there.
 */
class ServerListenTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  private final Logger log = (Logger) LoggerFactory.getLogger(OrderlyServer.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final List<OrderlyServer> servers = new ArrayList<>();
  private Level level;

  @BeforeEach
  void capture() {
    // The tests log warnings only; the ready line is an INFO line.
    level = log.getLevel();
    log.setLevel(Level.INFO);
    lines.start();
    log.addAppender(lines);
    // Kept here and asserted, not printed: the warning a test provokes is no news to a reader.
    log.setAdditive(false);
  }

  @AfterEach
  void stop() {
    servers.forEach(OrderlyServer::close);
    log.setAdditive(true);
    log.detachAppender(lines);
    log.setLevel(level);
  }

  private OrderlyServer start(String... args) {
    List<String> options = new ArrayList<>(List.of("--in-memory", "--port", "0"));
    options.addAll(List.of(args));
    OrderlyServer server = OrderlyServer.start(ServerConfig.parse(options, Map.of()));
    servers.add(server);
    return server;
  }

  private String readyLine() {
    return lines.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(line -> line.contains(" listening on "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ready line in " + lines.list));
  }

  /**
   * The local addresses of the sockets listening on {@code port}, as IPv4 in the kernel's hex
   * ({@code 0100007F} is 127.0.0.1, {@code 00000000} every interface), from {@code /proc/net/tcp}
   * and {@code tcp6}: the JDK may bind an IPv6 socket, where 127.0.0.1 is {@code ::ffff:127.0.0.1}
   * and 0.0.0.0 is {@code ::}.
   */
  private static List<String> listeningAddresses(int port) {
    Path ipv4 = Path.of("/proc/net/tcp");
    assumeTrue(Files.isReadable(ipv4), "Linux's /proc/net/tcp shows the bound address");
    String portHex = String.format(Locale.ROOT, "%04X", port);
    List<String> addresses = new ArrayList<>();
    for (Path table : List.of(ipv4, Path.of("/proc/net/tcp6"))) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try {
        Files.readAllLines(table).stream()
            .skip(1)
            .map(line -> line.trim().split("\\s+"))
            .filter(fields -> fields[1].endsWith(":" + portHex) && fields[3].equals("0A"))
            .map(fields -> asIpv4(fields[1].substring(0, fields[1].indexOf(':'))))
            .forEach(addresses::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return addresses;
  }

  private static String asIpv4(String hex) {
    if (hex.length() == 8) {
      return hex;
    }
    if (hex.chars().allMatch(c -> c == '0')) {
      return "00000000";
    }
    // An IPv4-mapped IPv6 address: ::ffff:a.b.c.d, its last four bytes the IPv4 address.
    return hex.startsWith("0000000000000000FFFF0000") ? hex.substring(24) : hex;
  }

  private List<String> warnings() {
    return lines.list.stream()
        .filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void byDefaultTheServerListensOnThisMachineOnlyAndWarnsOfNothing() {
    OrderlyServer server = start();

    int port = server.uri().getPort();
    assertThat(readyLine()).contains("listening on http://127.0.0.1:" + port + "/ ");
    assertThat(warnings()).isEmpty();
    assertThat(listeningAddresses(port)).as("bound addresses").containsExactly("0100007F");
  }

  @Test
  void onEveryInterfaceWithoutATokenTheReadyLineSaysSoAndOneWarningNamesTheRisk() {
    OrderlyServer server = start("--host", "0.0.0.0");

    assertThat(readyLine())
        .contains("listening on http://0.0.0.0:" + server.uri().getPort() + "/ (every interface)");
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("Listening on 0.0.0.0 without an API token")
        .contains("--api-token");
    assertThat(listeningAddresses(server.uri().getPort())).containsExactly("00000000");
    assertThat(new TestHttp(server.uri()).get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void onEveryInterfaceWithATokenNothingIsWarned() {
    start("--host", "0.0.0.0", "--api-token", TOKEN);

    assertThat(readyLine()).contains("listening on http://0.0.0.0:");
    assertThat(warnings()).isEmpty();
  }
}
