package dev.orderly.server.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void readsAnOrder() {
    Map<String, Object> order =
        Json.parseObject(
            "{\"order_id\":\"11\",\"item_ids\":[\"a\",\"b\"],\"total_amount\":100.00,"
                + "\"attempts\":1,\"last_error\":null,\"ok\":true,\"text\":\"a\\\"b\\u00e9\\n\"}");

    assertThat(order.get("order_id")).isEqualTo("11");
    assertThat(order.get("item_ids")).isEqualTo(List.of("a", "b"));
    assertThat(order.get("total_amount")).isEqualTo(new BigDecimal("100.00"));
    assertThat(order.get("attempts")).isEqualTo(BigDecimal.ONE);
    assertThat(order).containsEntry("last_error", null);
    assertThat(order.get("ok")).isEqualTo(true);
    assertThat(order.get("text")).isEqualTo("a\"b\u00e9\n");
  }

  @Test
  void writesWhatItReads() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "quote \" and \\ and \n");
    value.put("number", 1.5);
    value.put("list", List.of(1, "two"));
    value.put("none", null);

    String json = Json.write(value);

    assertThat(json)
        .isEqualTo(
            "{\"text\":\"quote \\\" and \\\\ and \\n\",\"number\":1.5,\"list\":[1,\"two\"],"
                + "\"none\":null}");
    assertThat(Json.parseObject(json).get("text")).isEqualTo("quote \" and \\ and \n");
  }

  @Test
  void refusesWhatIsNotJson() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).isInstanceOf(Json.JsonException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(Json.JsonException.class);
    assertThatThrownBy(() -> Json.parse("[1,")).isInstanceOf(Json.JsonException.class);
    assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(Json.JsonException.class);
    assertThatThrownBy(() -> Json.parse("")).isInstanceOf(Json.JsonException.class);
  }
}
