package dev.orderly.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation and the code's comments name only what a reader of this repository has: no
 * files kept elsewhere (a team's stack or style notes), no issue numbers of a tracker the reader
 * cannot see, no branches that are not in the repository. Say the fact itself, or link a file here
 * or a public address.
 */
class DocsReferencesTest {

  /** Phrases that point outside the repository; a public link ({@code .../issues/3700}) passes. */
  private static final Pattern OUTSIDE =
      Pattern.compile(
          "(?i)\\bissue \\d|\\bissue #\\d|STACK\\.md|STYLE\\.md|STYLE §|\\bshared/"
              + "|\\bserver branch|`server` branch|not yet in this repository");

  private static final Set<String> SCANNED_SUFFIXES =
      Set.of(".md", ".java", ".xml", ".js", ".html", ".css", ".properties", ".sql", ".sh", ".json");
  private static final Set<String> SKIPPED_FOLDERS =
      Set.of(".git", "target", "node_modules", ".mvn", ".idea");

  @Test
  void noDocumentOrCommentPointsOutsideTheRepository() throws IOException {
    Path root = repositoryRoot();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .filter(file -> isScanned(root.relativize(file)))
          .forEach(file -> collect(root, file, found));
    }

    assertThat(found)
        .as("references to things a reader of this repository does not have")
        .isEmpty();
  }

  @Test
  void thePatternCatchesTheKnownCases() {
    assertThat(OUTSIDE.matcher("see `shared/STACK.md`").find()).isTrue();
    assertThat(OUTSIDE.matcher("| Goal (issue 6) |").find()).isTrue();
    assertThat(OUTSIDE.matcher("a run against the server branch").find()).isTrue();
    assertThat(OUTSIDE.matcher("(STYLE §7)").find()).isTrue();
    assertThat(OUTSIDE.matcher("https://github.com/eclipse-ee4j/jersey/issues/3700").find())
        .isFalse();
    assertThat(OUTSIDE.matcher("no TODO without an issue.").find()).isFalse();
  }

  private static boolean isScanned(Path relative) {
    for (Path part : relative) {
      if (SKIPPED_FOLDERS.contains(part.toString())) {
        return false;
      }
    }
    String name = relative.getFileName().toString();
    if (name.equals(DocsReferencesTest.class.getSimpleName() + ".java")) {
      return false;
    }
    return relative.startsWith(".ci")
        || SCANNED_SUFFIXES.stream().anyMatch(suffix -> name.endsWith(suffix));
  }

  private static void collect(Path root, Path file, List<String> found) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (java.nio.charset.MalformedInputException binary) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < lines.size(); i++) {
      if (OUTSIDE.matcher(lines.get(i)).find()) {
        found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
      }
    }
  }

  /** The folder holding the root pom: the module's parent under Maven, or the working directory. */
  private static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("order-core").resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no repository root above " + here);
  }
}
