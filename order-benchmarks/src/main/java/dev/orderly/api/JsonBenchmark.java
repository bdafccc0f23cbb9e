package dev.orderly.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON encoding of one order as {@code GET /orders/{id}} does it: {@link OrderView#of(Order)} then
 * the API's own {@link ObjectMapper} from {@link JsonMapperProvider}. It lives in the API's package
 * (in the benchmarks jar) because both are package-private; order-api is unchanged. A Completed
 * order, so every field is filled. The mapper and writer are thread-safe.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class JsonBenchmark {

  private Order order;
  private ObjectWriter writer;

  @Setup
  public void prepare() {
    Instant created = Instant.parse("2026-11-25T12:00:00.123456Z");
    NewOrder newOrder =
        NewOrder.of("11", "user-7", List.of("sku-1", "sku-2"), new BigDecimal("100.00"));
    order =
        Order.create(newOrder, created)
            .claimed("node-1", created.plusMillis(5))
            .completed(created.plusMillis(12));
    writer = new JsonMapperProvider().getContext(OrderView.class).writerFor(OrderView.class);
  }

  /** View and bytes of one order, as the response body would carry them. */
  @Benchmark
  public byte[] encodeOrder() throws JsonProcessingException {
    return writer.writeValueAsBytes(OrderView.of(order));
  }
}
