package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's bearer token and CORS options, over real HTTP. */
class ServerSecurityTest {

  private static final String TOKEN = "rel-0123456789abcdef0123456789abcdef";
  private static final String ORDER =
      "{\"order_id\":\"s-1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}";

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<OrderlyServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(OrderlyServer::close);
  }

  private URI start(String... options) {
    List<String> args =
        new ArrayList<>(List.of("--in-memory", "--host", "127.0.0.1", "--port", "0"));
    args.addAll(List.of(options));
    OrderlyServer server = OrderlyServer.start(ServerConfig.parse(args, Map.of()));
    servers.add(server);
    return server.uri();
  }

  private HttpResponse<String> send(URI base, String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    request.method(
        method,
        method.equals("POST")
            ? HttpRequest.BodyPublishers.ofString(ORDER)
            : HttpRequest.BodyPublishers.noBody());
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withATokenEveryRouteButTheHealthChecksNeedsIt() throws Exception {
    URI base = start("--api-token", TOKEN);

    HttpResponse<String> without =
        send(base, "POST", "/orders", "Content-Type", "application/json");
    HttpResponse<String> wrong =
        send(
            base,
            "POST",
            "/orders",
            "Content-Type",
            "application/json",
            "Authorization",
            "Bearer " + TOKEN.replace('0', '1'));
    HttpResponse<String> right =
        send(
            base,
            "POST",
            "/orders",
            "Content-Type",
            "application/json",
            "Authorization",
            "Bearer " + TOKEN);

    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(without.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(without.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(201);
    assertThat(send(base, "GET", "/metrics").statusCode()).isEqualTo(401);
    assertThat(send(base, "GET", "/health/live").statusCode()).isEqualTo(200);
    assertThat(send(base, "GET", "/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void corsHeadersAppearOnlyForConfiguredOrigins() throws Exception {
    URI open = start();
    URI withCors = start("--cors-origins", "https://shop.example.com");

    HttpResponse<String> off = send(open, "GET", "/metrics", "Origin", "https://shop.example.com");
    HttpResponse<String> on =
        send(withCors, "GET", "/metrics", "Origin", "https://shop.example.com");
    HttpResponse<String> preflight =
        send(
            withCors,
            "OPTIONS",
            "/orders",
            "Origin",
            "https://shop.example.com",
            "Access-Control-Request-Method",
            "POST");
    HttpResponse<String> other =
        send(withCors, "GET", "/metrics", "Origin", "https://other.example.com");

    assertThat(off.headers().map().keySet()).noneMatch(name -> name.startsWith("access-control"));
    assertThat(on.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://shop.example.com");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
