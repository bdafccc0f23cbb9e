package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard's files: content types, caching, the security policy, and nothing else served. */
class DashboardTest {

  private final ApiFixture api = new ApiFixture();

  @Test
  void thePageIsServedAtTheRootAsHtml() {
    InMemoryHttp.Answer page = api.http.get("/");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).isEqualTo("text/html;charset=utf-8");
    assertThat(page.body())
        .contains("<title>Orderly dashboard</title>")
        .contains("src=\"/dashboard/dashboard.js\"")
        .contains("href=\"/dashboard/dashboard.css\"")
        // Offline users: nothing is loaded from another origin.
        .doesNotContain("http://", "https://");
    assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(page.header("ETag")).matches("\"[0-9a-f]{64}\"");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
  }

  @Test
  void scriptStyleAndIconHaveTheirContentTypes() {
    assertThat(api.http.get("/dashboard/dashboard.js").contentType())
        .isEqualTo("text/javascript;charset=utf-8");
    assertThat(api.http.get("/dashboard/dashboard.css").contentType())
        .isEqualTo("text/css;charset=utf-8");
    assertThat(api.http.get("/dashboard/favicon.svg").contentType()).isEqualTo("image/svg+xml");
    assertThat(api.http.get("/dashboard/dashboard.js").body()).contains("/metrics");
  }

  @Test
  void anUnchangedFileIsNotSentAgain() {
    String tag = api.http.get("/dashboard/dashboard.js").header("ETag");

    InMemoryHttp.Answer again =
        api.http.request("GET", "/dashboard/dashboard.js").header("If-None-Match", tag).send();

    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.header("ETag")).isEqualTo(tag);
  }

  @Test
  void onlyTheDashboardsOwnFilesAreServed() {
    for (String path :
        new String[] {
          "/dashboard/nope.js",
          "/dashboard/..%2Fopenapi.json",
          "/dashboard/%2E%2E%2Fdashboard%2Findex.html",
          "/dashboard/MetricsResource.class"
        }) {
      ApiFixture.assertProblem(api.http.get(path), 404);
    }
  }
}
