package dev.orderly.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI 3 document of the API, {@code docs/openapi.json}, which the build copies into
 * the jar. Thread-safe: the document is read once.
 */
@Path("openapi.json")
public final class OpenApiResource {

  /** Where the build puts {@code docs/openapi.json} on the class path. */
  static final String RESOURCE = "/dev/orderly/api/openapi.json";

  private final byte[] document;

  OpenApiResource() {
    this.document = load();
  }

  static byte[] load() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + RESOURCE + "; the build copies it");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] document() {
    return document.clone();
  }
}
