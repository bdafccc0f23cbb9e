package dev.orderly.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The one Jackson configuration of the API, handed to Jersey's Jackson provider: snake_case names,
 * exact decimals, strict parsing and small limits on what a request may make the parser do.
 * Thread-safe (the mapper is configured once and then only used).
 */
final class JsonMapperProvider implements ContextResolver<ObjectMapper> {

  /**
   * Orders nest three levels deep inside a batch ({@code {"orders":[{"item_ids":[...]}]}}); a
   * little room above that, and a deeply nested body fails fast instead of recursing.
   */
  static final int MAX_NESTING_DEPTH = 16;

  /** Digits a JSON number may have; ids sent as integers are at most 128 characters anyway. */
  static final int MAX_NUMBER_LENGTH = 256;

  /** Characters a JSON field name may have; the API's own names are a dozen. */
  static final int MAX_NAME_LENGTH = 256;

  /** Characters a JSON string may have; the body is capped at 1 MiB before it reaches here. */
  static final int MAX_STRING_LENGTH = BodySizeLimitFilter.MAX_BODY_BYTES;

  private final ObjectMapper mapper = create();

  static ObjectMapper create() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .build())
            .build();
    return JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // 1e400 must stay 1e400 (and be refused as too large), not become Infinity.
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return mapper;
  }
}
