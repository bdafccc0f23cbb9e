package dev.orderly.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases of {@code bad-input-corpus.json}: requests that must be refused with a 4xx and change
 * nothing, each with a problem+json body (also those Grizzly refuses before the API sees them).
 * Immutable.
 */
record BadInputCorpus(
    String name,
    String method,
    String path,
    Map<String, List<String>> headers,
    byte[] body,
    int status) {

  static final String RESOURCE = "/bad-input-corpus.json";

  @Override
  public String toString() {
    return name;
  }

  static List<BadInputCorpus> load() {
    JsonNode cases;
    try (InputStream in = BadInputCorpus.class.getResourceAsStream(RESOURCE)) {
      cases = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<BadInputCorpus> corpus = new ArrayList<>();
    for (JsonNode entry : cases) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      entry
          .path("headers")
          .fields()
          .forEachRemaining(
              header -> {
                List<String> values = new ArrayList<>();
                if (header.getValue().isArray()) {
                  header.getValue().forEach(value -> values.add(value.asText()));
                } else {
                  values.add(header.getValue().asText());
                }
                headers.put(header.getKey(), values);
              });
      corpus.add(
          new BadInputCorpus(
              entry.path("name").asText(),
              entry.path("method").asText(),
              entry.path("path").asText(),
              headers,
              body(entry),
              entry.path("status").asInt()));
    }
    return corpus;
  }

  private static byte[] body(JsonNode entry) {
    if (entry.has("body")) {
      return entry.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }
    if (entry.has("bodyBase64")) {
      return Base64.getDecoder().decode(entry.get("bodyBase64").asText());
    }
    if (entry.has("bodyRepeat")) {
      JsonNode repeat = entry.get("bodyRepeat");
      return (repeat.path("prefix").asText()
              + repeat.path("unit").asText().repeat(repeat.path("count").asInt())
              + repeat.path("suffix").asText())
          .getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }
}
