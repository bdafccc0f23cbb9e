package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is {@code docs/openapi.json}, and it documents exactly the routes
 * that Jersey's resource model holds, with their methods.
 */
class OpenApiTest {

  private static final Path DOCUMENT = Path.of("..", "docs", "openapi.json");

  private final ApiFixture api = new ApiFixture();

  @Test
  void theServedDocumentIsDocsOpenapiJson() throws IOException {
    InMemoryHttp.Answer answer = api.http.get("/openapi.json");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.body()).isEqualTo(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
    assertThat(ApiFixture.json(answer.body()).path("openapi").asText()).startsWith("3.");
  }

  @Test
  void everyImplementedRouteIsDocumentedWithItsMethods() throws IOException {
    Set<String> implemented = implementedRoutes();
    Set<String> documented = documentedRoutes();

    assertThat(implemented).as("routes of the resource model").isNotEmpty();
    assertThat(documented)
        .as("implemented routes missing from docs/openapi.json")
        .containsAll(implemented);
    assertThat(implemented).as("documented routes that do not exist").containsAll(documented);
  }

  @Test
  void everyReferenceInTheDocumentResolves() throws IOException {
    JsonNode document = ApiFixture.json(Files.readString(DOCUMENT, StandardCharsets.UTF_8));

    for (String reference : document.findValuesAsText("$ref")) {
      String pointer = reference.substring(1);
      assertThat(document.at(pointer).isMissingNode()).as(reference).isFalse();
    }
  }

  /** "GET /orders/{id}" for each method of the model that Jersey built, OPTIONS/HEAD aside. */
  private Set<String> implementedRoutes() {
    ExtendedResourceContext context =
        api.http.handler().getInjectionManager().getInstance(ExtendedResourceContext.class);
    Set<String> routes = new TreeSet<>();
    for (Resource resource : context.getResourceModel().getRootResources()) {
      collect(resource, "", routes);
    }
    return routes;
  }

  private static void collect(Resource resource, String parent, Set<String> routes) {
    String path = join(parent, resource.getPath());
    for (ResourceMethod method : resource.getResourceMethods()) {
      if (!method.isExtended()) {
        // The root resource's own path is empty; OpenAPI names it "/".
        routes.add(method.getHttpMethod() + " " + (path.isEmpty() ? "/" : path));
      }
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, routes);
    }
  }

  private static String join(String parent, String path) {
    String segment = path == null ? "" : path.replaceAll("^/+|/+$", "");
    return segment.isEmpty() ? parent : parent + "/" + segment;
  }

  private static Set<String> documentedRoutes() throws IOException {
    JsonNode paths =
        ApiFixture.json(Files.readString(DOCUMENT, StandardCharsets.UTF_8)).path("paths");
    Set<String> routes = new TreeSet<>();
    for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
      String path = names.next();
      paths
          .path(path)
          .fieldNames()
          .forEachRemaining(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path));
    }
    return routes;
  }
}
