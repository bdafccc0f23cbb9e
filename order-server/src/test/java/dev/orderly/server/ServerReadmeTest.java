package dev.orderly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.server.TestHttp.Answer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's curl section honest: replays each of its curl calls against a live server and
 * compares the answer with the one the README shows, apart from times and durations, which differ
 * on every run. A call whose answer depends on processing (a status, the metrics) is repeated until
 * it matches or a deadline passes.
 */
class ServerReadmeTest {

  private static final Path README = Path.of("..", "README.md");
  private static final String START = "<!-- server-curl:start -->";
  private static final String END = "<!-- server-curl:end -->";
  private static final Path API_DOCS = Path.of("..", "docs", "api.md");
  private static final String BATCH_START = "<!-- batch-example:start -->";
  private static final String BATCH_END = "<!-- batch-example:end -->";
  private static final String README_BASE = "http://localhost:8080";
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final Set<String> TIMES = Set.of("created_at", "updated_at");
  private static final Set<String> MEASURED =
      Set.of(
          "average_processing_time",
          "average_queue_wait",
          "p50",
          "p95",
          "p99",
          "max",
          "orders_per_second");

  /** Names that differ from run to run but are always text: the engine's node id. */
  private static final Set<String> VARYING_TEXT = Set.of("id");

  private static final Pattern SECONDS = Pattern.compile("\\d+\\.\\d{2} seconds");

  /** One curl call of the README and the answer it shows. */
  record Call(String method, String url, String body, String shownAnswer) {}

  private OrderlyServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theReadmesCurlCallsGetTheAnswersItShows() throws IOException {
    List<Call> calls = calls(Files.readString(README, StandardCharsets.UTF_8));
    assertThat(calls).as("the README's curl calls").hasSize(4);
    TestHttp http = startServer("100ms");

    for (Call call : calls) {
      assertThat(call.url()).startsWith(README_BASE);
      String path = call.url().substring(README_BASE.length());
      JsonNode shown = TestHttp.parse(call.shownAnswer());
      if (call.method().equals("POST")) {
        Answer answer = http.post(path, call.body());
        assertThat(answer.status()).as("%s %s: %s", call.method(), path, answer).isEqualTo(201);
        assertThat(differences(shown, answer.json())).as("POST %s", path).isEmpty();
      } else {
        awaitAnswer(http, path, shown);
      }
    }
  }

  /** docs/api.md's batch example runs on a fresh server as shown, with nothing created before. */
  @Test
  void theBatchExampleOfTheApiDocsGetsTheAnswerItShows() throws IOException {
    List<Call> calls =
        calls(Files.readString(API_DOCS, StandardCharsets.UTF_8), BATCH_START, BATCH_END);
    assertThat(calls).as("the batch example's curl calls").hasSize(1);
    Call batch = calls.get(0);
    assertThat(batch.method()).isEqualTo("POST");
    assertThat(batch.url()).isEqualTo(README_BASE + "/orders/batch");
    TestHttp http = startServer("2s");

    Answer answer = http.post("/orders/batch", batch.body());

    assertThat(answer.status()).as("POST /orders/batch: %s", answer).isEqualTo(200);
    assertThat(differences(TestHttp.parse(batch.shownAnswer()), answer.json())).isEmpty();

    // The docs say what the same batch answers when sent again.
    JsonNode again = http.post("/orders/batch", batch.body()).json();
    assertThat(again.path("created").asInt()).isZero();
    assertThat(again.path("duplicate").asInt()).isEqualTo(3);
  }

  private TestHttp startServer(String processingDelay) {
    server =
        OrderlyServer.start(
            ServerConfig.parse(
                List.of(
                    "--in-memory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--processing-delay",
                    processingDelay),
                Map.of()));
    return new TestHttp(server.uri());
  }

  @Test
  void theCurlParserReadsMethodUrlAndBody() {
    List<Call> calls =
        calls(
            START
                + "\n```sh\ncurl --location 'http://localhost:8080/orders' \\\n"
                + "--header 'Content-Type: application/json' \\\n--data '{\n \"a\" : 1\n}'\n```\n"
                + "```json\n{\"b\":2}\n```\n```sh\ncurl -s http://localhost:8080/metrics\n```\n"
                + "```json\n{}\n```\n"
                + END);

    assertThat(calls)
        .containsExactly(
            new Call("POST", "http://localhost:8080/orders", "{\n \"a\" : 1\n}", "{\"b\":2}\n"),
            new Call("GET", "http://localhost:8080/metrics", null, "{}\n"));
  }

  @Test
  void volatileFieldsMayDifferButNothingElse() {
    JsonNode shown =
        TestHttp.parse(
            "{\"status\":\"Completed\",\"created_at\":\"2026-01-01T00:00:00.000001Z\","
                + "\"processing_time\":\"2.08 seconds\",\"average_queue_wait\":0.04}");

    assertThat(
            differences(
                shown,
                TestHttp.parse(
                    "{\"status\":\"Completed\",\"created_at\":\"2027-02-02T01:01:01.5Z\","
                        + "\"processing_time\":\"0.10 seconds\",\"average_queue_wait\":3}")))
        .isEmpty();
    assertThat(
            differences(
                shown,
                TestHttp.parse(
                    "{\"status\":\"Pending\",\"created_at\":\"yesterday\","
                        + "\"processing_time\":null,\"extra\":1}")))
        .containsExactlyInAnyOrder(
            "status: shown \"Completed\", got \"Pending\"",
            "created_at: shown a time, got \"yesterday\"",
            "processing_time: shown a duration, got null",
            "average_queue_wait: shown, missing",
            "extra: not shown, got 1");
  }

  private static void awaitAnswer(TestHttp http, String path, JsonNode shown) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Answer answer = http.get(path);
      List<String> differences =
          answer.status() == 200 ? differences(shown, answer.json()) : List.of(answer.toString());
      if (differences.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "GET " + path + " never answered as the README shows: " + differences);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  /** What differs between a shown answer and a real one, ignoring the values of volatile fields. */
  static List<String> differences(JsonNode shown, JsonNode actual) {
    List<String> differences = new ArrayList<>();
    compare("", shown, actual, differences);
    return differences;
  }

  private static void compare(String path, JsonNode shown, JsonNode actual, List<String> out) {
    if (shown.isObject() && actual.isObject()) {
      Set<String> names = new TreeSet<>();
      shown.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String where = path.isEmpty() ? name : path + "." + name;
        if (!actual.has(name)) {
          out.add(where + ": shown, missing");
        } else if (!shown.has(name)) {
          out.add(where + ": not shown, got " + actual.get(name));
        } else if (TIMES.contains(name)) {
          if (!isInstant(actual.get(name))) {
            out.add(where + ": shown a time, got " + actual.get(name));
          }
        } else if (MEASURED.contains(name)) {
          if (!actual.get(name).isNumber()) {
            out.add(where + ": shown a number, got " + actual.get(name));
          }
        } else if (VARYING_TEXT.contains(name)) {
          if (!actual.get(name).isTextual()) {
            out.add(where + ": shown text, got " + actual.get(name));
          }
        } else if (name.equals("processing_time")) {
          if (!actual.get(name).isTextual()
              || !SECONDS.matcher(actual.get(name).asText()).matches()) {
            out.add(where + ": shown a duration, got " + actual.get(name));
          }
        } else {
          compare(where, shown.get(name), actual.get(name), out);
        }
      }
    } else if (!shown.equals(actual)) {
      out.add(path + ": shown " + shown + ", got " + actual);
    }
  }

  private static boolean isInstant(JsonNode node) {
    try {
      Instant.parse(node.asText());
      return node.isTextual();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The README's curl calls, each with the JSON block that follows it. */
  static List<Call> calls(String readme) {
    return calls(readme, START, END);
  }

  /** The curl calls between two markers of a document, each with the JSON block that follows it. */
  static List<Call> calls(String readme, String startMarker, String endMarker) {
    int start = readme.indexOf(startMarker);
    int end = readme.indexOf(endMarker);
    assertThat(start).as("the document has " + startMarker).isNotNegative();
    assertThat(end).as("the document has " + endMarker).isGreaterThan(start);
    List<String> blocks = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    Iterator<String> lines = readme.substring(start, end).lines().iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("```") && line.length() > 3) {
        StringBuilder block = new StringBuilder();
        String inner;
        while (lines.hasNext() && !(inner = lines.next()).startsWith("```")) {
          block.append(inner).append('\n');
        }
        kinds.add(line.substring(3).strip());
        blocks.add(block.toString());
      }
    }
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      if (kinds.get(i).equals("sh")) {
        assertThat(i + 1 < blocks.size() && kinds.get(i + 1).equals("json"))
            .as("a json block follows the curl call %s", blocks.get(i))
            .isTrue();
        calls.add(curl(blocks.get(i), blocks.get(i + 1)));
      }
    }
    return calls;
  }

  /** Reads a curl command line as a shell would split it: words, and '...' quoted text. */
  private static Call curl(String command, String shownAnswer) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    String joined = command.replace("\\\n", " ");
    for (int i = 0; i < joined.length(); i++) {
      char c = joined.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (!quoted && Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    assertThat(words).as("a curl command").isNotEmpty().first().isEqualTo("curl");
    String method = null;
    String url = null;
    String body = null;
    for (int i = 1; i < words.size(); i++) {
      String current = words.get(i);
      switch (current) {
        case "--data", "--data-raw", "-d" -> body = words.get(++i);
        case "--request", "-X" -> method = words.get(++i);
        case "--header", "-H" -> i++;
        default -> {
          if (current.startsWith("http")) {
            url = current;
          }
        }
      }
    }
    assertThat(url).as("the URL of %s", command).isNotNull();
    return new Call(
        method != null ? method : body != null ? "POST" : "GET",
        URI.create(url).toString(),
        body,
        shownAnswer);
  }
}
