package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} answers JSON unless the Accept header ranks a Prometheus format higher. */
class MetricsFormatTest {

  @Test
  void prometheusAcceptHeadersChooseTheTextFormats() {
    assertThat(
            MetricsResource.textFormat(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                    + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .isEqualTo(MetricsResource.OPENMETRICS_TEXT);
    assertThat(MetricsResource.textFormat("text/plain;version=0.0.4"))
        .isEqualTo(MetricsResource.PROMETHEUS_TEXT);
    assertThat(MetricsResource.textFormat("text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .isEqualTo(MetricsResource.PROMETHEUS_TEXT);
    assertThat(MetricsResource.textFormat("application/openmetrics-text"))
        .isEqualTo(MetricsResource.OPENMETRICS_TEXT);
  }

  @Test
  void everythingElseGetsJson() {
    for (String accept :
        new String[] {
          null,
          "",
          "*/*",
          "application/json",
          "application/json, text/plain, */*",
          "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
          "text/plain;q=0.5,application/json",
          "text/plain;q=nonsense",
          "text/plain;q=0"
        }) {
      assertThat(MetricsResource.textFormat(accept)).as("%s", accept).isNull();
    }
  }

  @Test
  void theScrapeGetsTheChosenFormatAndItsAnswerIsSentAsIs() {
    AtomicReference<String> asked = new AtomicReference<>();
    ApiFixture fixture = new ApiFixture();
    InMemoryHttp http =
        new InMemoryHttp(
            new OrderlyApplication(
                fixture.client,
                () -> true,
                null,
                format -> {
                  asked.set(format);
                  return "orderly_in_flight 0.0\n";
                }));

    InMemoryHttp.Answer answer =
        http.request("GET", "/metrics").header("Accept", "text/plain;version=0.0.4").send();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("text/plain;charset=utf-8;version=0.0.4");
    assertThat(answer.body()).isEqualTo("orderly_in_flight 0.0\n");
    assertThat(asked.get()).isEqualTo(MetricsResource.PROMETHEUS_TEXT);
  }

  @Test
  void withoutAScrapeATextRequestStillGetsJson() {
    InMemoryHttp.Answer answer =
        new ApiFixture().http.request("GET", "/metrics").header("Accept", "text/plain, */*").send();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(ApiFixture.json(answer.body()).has("total_orders")).isTrue();
  }
}
