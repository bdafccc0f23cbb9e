package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static dev.orderly.api.ApiFixture.fields;
import static dev.orderly.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /orders}: newest first, filtered, in pages joined by a stable cursor. */
class ListingTest {

  private final ApiFixture api = new ApiFixture();

  @BeforeEach
  void sevenOrdersOfTwoUsers() {
    for (int i = 1; i <= 7; i++) {
      api.clock.advance(Duration.ofSeconds(1));
      String user = i % 2 == 0 ? "even" : "odd";
      String body =
          "{\"order_id\":\"o"
              + i
              + "\",\"user_id\":\""
              + user
              + "\",\"item_ids\":[\"a\"],"
              + "\"total_amount\":1}";
      assertThat(api.http.post("/orders", body).status()).isEqualTo(201);
    }
  }

  @Test
  void pagesWalkEveryOrderNewestFirstWithoutRepeatsOrGaps() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/orders?limit=3" + (cursor == null ? "" : "&cursor=" + encode(cursor));
      JsonNode page = json(api.http.get(path).body());
      page.path("orders").forEach(order -> seen.add(order.path("order_id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
      // An order created mid-walk is newer than the cursor: it must not appear in later pages.
      if (pages == 1) {
        api.http.post("/orders", ApiFixture.order("late", "1"));
      }
    } while (cursor != null && pages < 10);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("o7", "o6", "o5", "o4", "o3", "o2", "o1");
  }

  @Test
  void theDefaultPageHoldsUpTo100Orders() {
    JsonNode page = json(api.http.get("/orders").body());

    assertThat(page.path("orders")).hasSize(7);
    assertThat(page.get("next_cursor").isNull()).isTrue();
  }

  @Test
  void statusAndUserFilterTheList() {
    api.http.request("POST", "/orders/o3/cancel").send();
    api.http.request("POST", "/orders/o4/cancel").send();

    JsonNode cancelled = json(api.http.get("/orders?status=Cancelled").body());
    JsonNode oddCancelled = json(api.http.get("/orders?status=cancelled&user_id=odd").body());
    JsonNode even = json(api.http.get("/orders?user_id=even").body());

    assertThat(cancelled.path("orders").findValuesAsText("order_id")).containsExactly("o4", "o3");
    assertThat(oddCancelled.path("orders").findValuesAsText("order_id")).containsExactly("o3");
    assertThat(even.path("orders").findValuesAsText("order_id")).containsExactly("o6", "o4", "o2");
  }

  @Test
  void aBadLimitIs400NamingLimit() {
    for (String limit : List.of("0", "1001", "-1", "abc", "1.5", "99999999999")) {
      JsonNode problem = assertProblem(api.http.get("/orders?limit=" + limit), 400);
      assertThat(fields(problem)).as(limit).containsExactly("limit");
    }
  }

  @Test
  void aBadStatusIs400NamingStatus() {
    JsonNode problem = assertProblem(api.http.get("/orders?status=Shipped"), 400);

    assertThat(fields(problem)).containsExactly("status");
    assertThat(problem.path("errors").path(0).path("message").asText()).contains("Pending");
  }

  @Test
  void aBadCursorIs400NamingCursor() {
    for (String cursor : List.of("nonsense", "bm90IGEgY3Vyc29y", "%00", "")) {
      JsonNode problem = assertProblem(api.http.get("/orders?cursor=" + cursor), 400);
      assertThat(fields(problem)).as(cursor).containsExactly("cursor");
    }
  }

  @Test
  void aBlankUserIs400NamingUserId() {
    assertThat(fields(assertProblem(api.http.get("/orders?user_id=%20"), 400)))
        .containsExactly("user_id");
  }

  @Test
  void everyBadParameterIsNamedInOneAnswer() {
    JsonNode problem =
        assertProblem(
            api.http.get("/orders?status=Bogus&user_id=%20&limit=0&cursor=nonsense"), 400);

    assertThat(fields(problem)).containsExactly("status", "user_id", "limit", "cursor");
    assertThat(problem.path("detail").asText())
        .contains("invalid status", "invalid user_id", "invalid limit", "invalid cursor");
  }

  @Test
  void aGoodParameterBesideABadOneIsNotNamed() {
    JsonNode problem = assertProblem(api.http.get("/orders?status=Bogus&limit=5"), 400);

    assertThat(fields(problem)).containsExactly("status");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
