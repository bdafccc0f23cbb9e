package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.core.OrderClient;
import dev.orderly.core.store.InMemoryOrderStore;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The optional bearer-token authentication and CORS. */
class SecurityTest {

  private static final String TOKEN = "s3cret-token-0123456789";
  private static final String ORDER =
      "{\"order_id\":\"11\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}";

  private final InMemoryOrderStore store = new InMemoryOrderStore();

  private InMemoryHttp api(OrderlyApplication application) {
    return new InMemoryHttp(application);
  }

  private OrderlyApplication application() {
    return new OrderlyApplication(OrderClient.create(store), () -> true);
  }

  @Nested
  class WithAToken {

    private final InMemoryHttp http = api(application().requireBearerToken(TOKEN));

    @Test
    void aRequestWithoutTheHeaderIsRefused401WithABearerChallengeAndStoresNothing() {
      InMemoryHttp.Answer answer = http.post("/orders", ORDER);

      JsonNode problem = assertProblem(answer, 401);
      assertThat(problem.path("type").asText()).isEqualTo(ProblemType.UNAUTHORIZED.uri());
      assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(store.statistics().total()).isZero();
    }

    @Test
    void theRightTokenIsAccepted() {
      InMemoryHttp.Answer answer =
          http.request("POST", "/orders")
              .header("Authorization", "Bearer " + TOKEN)
              .json(ORDER)
              .send();

      assertThat(answer.status()).as(answer.body()).isEqualTo(201);
      assertThat(store.statistics().total()).isEqualTo(1);
    }

    @Test
    void theSchemeIsCaseInsensitive() {
      InMemoryHttp.Answer answer =
          http.request("GET", "/metrics").header("Authorization", "bearer " + TOKEN).send();

      assertThat(answer.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Bearer wrong-token-0123456789",
          "Bearer " + TOKEN + "x",
          "Bearer s3cret",
          "Bearer " + TOKEN + " extra",
          "Basic dXNlcjpwYXNz",
          "Bearer",
          "Bearer ",
          TOKEN,
          "Token " + TOKEN,
          "BearerX" + TOKEN
        })
    void aWrongOrMalformedHeaderIsRefused401(String header) {
      InMemoryHttp.Answer answer =
          http.request("POST", "/orders").header("Authorization", header).json(ORDER).send();

      assertProblem(answer, 401);
      assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(answer.body()).doesNotContain(TOKEN);
      assertThat(store.statistics().total()).isZero();
    }

    @Test
    void everyOtherRouteNeedsTheTokenToo() {
      for (String path :
          List.of("/metrics", "/metrics/11", "/orders", "/orders/11", "/openapi.json", "/nope")) {
        assertProblem(http.get(path), 401);
      }
      assertProblem(http.request("POST", "/orders/11/cancel").send(), 401);
    }

    @Test
    void theHealthChecksNeedNoToken() {
      assertThat(http.get("/health/live").status()).isEqualTo(200);
      assertThat(http.get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void theDashboardsStaticFilesNeedNoTokenButItsDataDoes() {
      assertThat(http.get("/").status()).isEqualTo(200);
      assertThat(http.get("/dashboard/dashboard.js").status()).isEqualTo(200);
      assertThat(http.get("/dashboard/dashboard.css").status()).isEqualTo(200);
      assertThat(http.get("/metrics").status()).isEqualTo(401);
      assertThat(http.get("/orders").status()).isEqualTo(401);
      assertThat(http.get("/dashboard/../metrics").status()).isNotEqualTo(200);
    }

    @Test
    void noPathTrickOpensAProtectedRouteThroughTheHealthChecks() {
      for (String path :
          List.of(
              "/health/live/../../metrics",
              "/health/ready/x",
              "/health%2Flive",
              "/health/live;x=1",
              "/health/live/")) {
        assertThat(http.get(path).status()).as(path).isEqualTo(401);
      }
      assertThat(http.request("POST", "/health/live").send().status()).isEqualTo(401);
    }

    @Test
    void aBlankTokenIsRefused() {
      assertThatThrownBy(() -> application().requireBearerToken(" "))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class WithCorsOrigins {

    private static final String ALLOWED = "https://shop.example.com";

    private final InMemoryHttp http =
        api(application().requireBearerToken(TOKEN).allowCorsOrigins(List.of(ALLOWED)));

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
      InMemoryHttp.Answer answer =
          http.request("OPTIONS", "/orders")
              .header("Origin", ALLOWED)
              .header("Access-Control-Request-Method", "POST")
              .header("Access-Control-Request-Headers", "authorization, content-type")
              .send();

      assertThat(answer.status()).isEqualTo(204);
      assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
      assertThat(answer.header("Access-Control-Allow-Methods")).contains("POST");
      assertThat(answer.header("Access-Control-Allow-Headers")).contains("Authorization");
      assertThat(answer.header("Vary")).isEqualTo("Origin");
    }

    @Test
    void anAnswerToAnAllowedOriginCarriesTheAllowOriginHeader() {
      InMemoryHttp.Answer answer =
          http.request("GET", "/metrics")
              .header("Origin", ALLOWED)
              .header("Authorization", "Bearer " + TOKEN)
              .send();

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
    }

    @Test
    void anotherOriginGetsNoCorsHeaderAndNoPreflight() {
      InMemoryHttp.Answer preflight =
          http.request("OPTIONS", "/orders")
              .header("Origin", "https://evil.example.com")
              .header("Access-Control-Request-Method", "POST")
              .send();
      InMemoryHttp.Answer get =
          http.request("GET", "/metrics")
              .header("Origin", "https://evil.example.com")
              .header("Authorization", "Bearer " + TOKEN)
              .send();

      assertThat(preflight.status()).isEqualTo(401);
      assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
      assertThat(get.header("Access-Control-Allow-Origin")).isNull();
    }
  }

  @Nested
  class ByDefault {

    private final InMemoryHttp http = api(application());

    @Test
    void noTokenIsNeeded() {
      assertThat(http.post("/orders", ORDER).status()).isEqualTo(201);
    }

    @Test
    void noCorsHeaderIsAddedEvenForAnOrigin() {
      InMemoryHttp.Answer get =
          http.request("GET", "/metrics").header("Origin", "https://shop.example.com").send();
      InMemoryHttp.Answer preflight =
          http.request("OPTIONS", "/orders")
              .header("Origin", "https://shop.example.com")
              .header("Access-Control-Request-Method", "POST")
              .send();

      assertThat(get.status()).isEqualTo(200);
      assertThat(get.headers().keySet()).noneMatch(name -> name.startsWith("access-control"));
      assertThat(preflight.headers().keySet()).noneMatch(name -> name.startsWith("access-control"));
    }
  }
}
