package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.core.order.NewOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OrderRequests#parseCommonShape} reads the common body to exactly the order that the tree
 * reader gives, and leaves every other body, valid or not, to the tree reader.
 */
class CommonShapeParseTest {

  private final ObjectMapper mapper = JsonMapperProvider.create();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"order_id\":\"11\",\"user_id\":\"u-1\",\"item_ids\":[\"sku-1\"],\"total_amount\":100}",
        "{\"total_amount\":9.99,\"item_ids\":[\"a\",\"b\",\"c\"],\"user_id\":\"u\",\"order_id\":\"x\"}",
        " { \"order_id\" : \"a/b c?\\u00fc\\ud83d\\ude00\" , \"user_id\" : \"\\\"q\\\"\" ,"
            + " \"item_ids\" : [ \"1\" ] , \"total_amount\" : 0.10 } ",
        "{\"order_id\":\"z\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1.5E2}",
        "{\"order_id\":\"z\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":0}",
        "{\"order_id\":\"z\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":0E-99}",
        "{\"order_id\":\"z\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":12.300000}",
        "{\"order_id\":\"z\",\"user_id\":\"u\",\"item_ids\":[\"a\"],"
            + "\"total_amount\":999999999999999.99}",
      })
  void theCommonShapeIsReadToTheOrderTheTreeGives(String body) throws IOException {
    NewOrder streamed = streamed(body);

    assertThat(streamed).isNotNull().isEqualTo(OrderRequests.parse(mapper.readTree(body)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // valid, but not the common shape: the tree reader takes them
        "{\"order_id\":11,\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":7,\"item_ids\":[\"a\"],\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":\"a,b\",\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\",2],\"total_amount\":1}",
        "{\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}",
        "{\"order_id\":null,\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}",
        // invalid: the tree reader names the fault
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":\"1\"}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":-1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1.001}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1e999999}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],"
            + "\"total_amount\":1000000000000000}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[],\"total_amount\":1}",
        "{\"order_id\":\"\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}",
        "{\"order_id\":\"a\\u0000\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"\\ud800\",\"item_ids\":[\"a\"],\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\\n\"],\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[[\"a\"]],\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1,\"x\":1}",
        "{\"order_id\":\"1\",\"order_id\":\"2\",\"user_id\":\"u\",\"item_ids\":[\"a\"],"
            + "\"total_amount\":1}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"]}",
        "[{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1}]",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1} {}",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":1} x",
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":[\"a\"],\"total_amount\":NaN}",
        "{\"order_id\":\"1\",\"user_id\":\"u\"",
        "",
        "null",
      })
  void everyOtherBodyIsLeftToTheTreeReader(String body) {
    NewOrder streamed;
    try {
      streamed = streamed(body);
    } catch (IOException notWellFormed) {
      // OrderCreation then reads it with the tree reader, which fails on it too.
      return;
    }
    assertThat(streamed).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {NewOrder.MAX_ITEMS, NewOrder.MAX_ITEMS + 1})
  void theItemLimitIsTheTreeReadersToo(int items) throws IOException {
    String body =
        "{\"order_id\":\"1\",\"user_id\":\"u\",\"item_ids\":["
            + String.join(",", Collections.nCopies(items, "\"a\""))
            + "],\"total_amount\":1}";

    NewOrder streamed = streamed(body);

    if (items <= NewOrder.MAX_ITEMS) {
      assertThat(streamed).isEqualTo(OrderRequests.parse(mapper.readTree(body)));
    } else {
      assertThat(streamed).isNull();
    }
  }

  private NewOrder streamed(String body) throws IOException {
    return OrderRequests.parseCommonShape(mapper, body.getBytes(StandardCharsets.UTF_8));
  }
}
