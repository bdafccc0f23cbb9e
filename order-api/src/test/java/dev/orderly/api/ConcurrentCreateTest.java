package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One application serves many threads at once; a create raced by its repeats is created once. */
class ConcurrentCreateTest {

  private static final int THREADS = 8;

  @Test
  void racingCreatesOfOneOrderGiveOne201AndTheRest200() throws Exception {
    ApiFixture api = new ApiFixture();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        statuses.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.http.post("/orders", ApiFixture.order("raced", "10")).status();
                }));
      }
      start.countDown();
      List<Integer> answers = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        answers.add(status.get());
      }

      assertThat(answers).containsOnly(201, 200).filteredOn(s -> s == 201).hasSize(1);
      assertThat(api.storedOrders()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
