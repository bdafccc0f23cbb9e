package dev.orderly.api;

import static dev.orderly.api.ApiFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.metrics.OrderStatistics;
import dev.orderly.core.store.StoreUnavailableException;
import dev.orderly.core.testing.ForwardingOrderStore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Liveness always answers; readiness needs a store that answers and a running engine. */
class HealthTest {

  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final ApiFixture api =
      new ApiFixture(
          store ->
              new ForwardingOrderStore(store) {
                @Override
                public OrderStatistics statistics() {
                  if (storeDown.get()) {
                    throw new StoreUnavailableException("database down", null);
                  }
                  return super.statistics();
                }
              });

  @Test
  void liveAnswers200EvenWhenNothingElseWorks() {
    storeDown.set(true);
    api.engineRunning.set(false);

    InMemoryHttp.Answer answer = api.http.get("/health/live");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{}}");
  }

  @Test
  void readyAnswers200WhenTheStoreAnswersAndTheEngineRuns() {
    InMemoryHttp.Answer answer = api.http.get("/health/ready");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"engine\":\"UP\"}}");
  }

  @Test
  void readyAnswers503WhenTheEngineIsNotRunning() {
    api.engineRunning.set(false);

    InMemoryHttp.Answer answer = api.http.get("/health/ready");

    assertThat(assertProblem(answer, 503).path("detail").asText()).endsWith("down: engine");
  }

  @Test
  void readyAnswers503WhenTheStoreDoesNotAnswer() {
    storeDown.set(true);

    InMemoryHttp.Answer answer = api.http.get("/health/ready");

    assertThat(assertProblem(answer, 503).path("detail").asText()).endsWith("down: store");
    assertThat(answer.body()).doesNotContain("database down");
  }

  @Test
  void readyRecoversWhenTheStoreComesBack() {
    storeDown.set(true);
    assertThat(api.http.get("/health/ready").status()).isEqualTo(503);

    storeDown.set(false);

    assertThat(api.http.get("/health/ready").status()).isEqualTo(200);
  }
}
