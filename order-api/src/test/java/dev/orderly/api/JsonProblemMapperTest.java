package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jackson's binding exceptions become 400 problems naming the field in the API's words, with no
 * Java type in them. The API reads bodies as trees, so these arise only where a body is bound to a
 * type; the mappers are tested directly on exceptions from the API's own mapper.
 */
class JsonProblemMapperTest {

  private static final ObjectMapper MAPPER = JsonMapperProvider.create();

  record Line(String sku, int quantity) {}

  record Basket(List<Line> lines) {}

  @Test
  void anUnknownPropertyNamesTheFieldByItsPath() {
    Problem problem = problemFor("{\"lines\":[{\"sku\":\"a\",\"quantity\":1,\"colour\":\"red\"}]}");

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.type()).endsWith("/invalid-request");
    assertThat(problem.errors())
        .containsExactly(new FieldError("lines[0].colour", "is not a known field"));
  }

  @Test
  void aWrongTypeNamesTheFieldAndNoJavaType() {
    Problem problem = problemFor("{\"lines\":[{\"sku\":\"a\",\"quantity\":[1]}]}");

    assertThat(problem.errors())
        .containsExactly(new FieldError("lines[0].quantity", "has the wrong JSON type"));
    assertThat(problem.detail()).doesNotContain("int", "Integer", "java", "`");
  }

  @Test
  void malformedJsonSaysWhereWithoutJacksonAdvice() {
    Problem problem = problemFor("{\"lines\":[NaN]}");

    assertThat(problem.type()).endsWith("/malformed-json");
    assertThat(problem.detail()).contains("line 1").doesNotContain("enable", "`", "Feature");
  }

  @Test
  void theMostSpecificMapperIsRegisteredForEachJacksonException() {
    assertThat(ExceptionMappers.all())
        .extracting(mapper -> mapper.getClass().getSimpleName())
        .contains(
            "Processing", "StreamRead", "Parse", "Mismatch", "UnknownProperty", "Constraints");
  }

  private static Problem problemFor(String json) {
    JsonProcessingException e =
        catchThrowableOfType(
            JsonProcessingException.class, () -> MAPPER.readValue(json, Basket.class));
    assertThat(e).as("Jackson refused %s", json).isNotNull();
    Response response = JsonProblemMapper.answer(e);
    assertThat(response.getMediaType()).isEqualTo(Problems.PROBLEM_JSON);
    return (Problem) response.getEntity();
  }
}
