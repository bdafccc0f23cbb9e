package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.core.OrderClient;
import dev.orderly.core.store.InMemoryOrderStore;
import dev.orderly.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() {
    InMemoryOrderStore store = new InMemoryOrderStore();
    InMemoryHttp http =
        new InMemoryHttp(
            new OrderlyApplication(OrderClient.create(store, new MutableClock()), () -> true));
    for (var a :
        new InMemoryHttp.Answer[] {
          http.post(
              "/orders",
              "{\"order_id\":\"11\",\"user_id\":\"user_id\",\"item_ids\":\"item_ids\",\"total_amount\":100}"),
          http.post(
              "/orders",
              "{\"order_id\":\"11\",\"user_id\":\"user_id\",\"item_ids\":\"item_ids\",\"total_amount\":100}"),
          http.post(
              "/orders",
              "{\"order_id\":\"11\",\"user_id\":\"user_id\",\"item_ids\":\"item_ids\",\"total_amount\":101}"),
          http.get("/orders/11"),
          http.get("/orders/11/status"),
          http.get("/metrics"),
          http.get("/metrics/11"),
          http.get("/nope"),
          http.request("DELETE", "/orders/11").send(),
          http.post("/orders", "{bad"),
          http.post(
              "/orders",
              "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
          http.post("/orders", "{\"total_amount\":1e400, \"user_id\":true, \"x\":1}"),
          http.post("/orders", "{\"total_amount\":1e9999999999}"),
          http.post("/orders", "{\"total_amount\":NaN}"),
          http.post("/orders", ""),
          http.post("/orders", "{} {}"),
          http.post("/orders", "{\"a\":1,\"a\":2}"),
          http.request("POST", "/orders")
              .header("Content-Type", "text/plain")
              .header("Content-Length", "2")
              .send(),
          http.request("POST", "/orders").send(),
          http.request("GET", "/orders/11").header("Accept", "text/html").send(),
          http.get("/orders?limit=abc"),
          http.get("/orders?limit=1"),
          http.get("/health/ready"),
          http.get("/openapi.json"),
          http.request("POST", "/orders")
              .header("Content-Type", "application/json")
              .header("Content-Length", "99999999")
              .send(),
          http.request("POST", "/orders").stream(
                  "application/json",
                  new java.io.ByteArrayInputStream(
                      ("[\"" + "x".repeat(2_000_000) + "\"]").getBytes()))
              .send(),
        }) {
      System.out.println(a);
    }
    assertThat(store.statistics().total()).isEqualTo(1);
  }
}
