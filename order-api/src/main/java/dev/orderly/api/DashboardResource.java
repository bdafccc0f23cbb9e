package dev.orderly.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The live dashboard: a page at {@code /} and its script and style sheet at {@code
 * /dashboard/{file}}, plain files from the class path that poll the public JSON API. Thread-safe:
 * the files are read once, at construction, and never change.
 *
 * <p>Every answer carries a strong ETag and {@code Cache-Control: no-cache}, so a browser asks
 * again on each load but gets a 304 with no body while the files are unchanged (a new jar changes
 * them). A Content-Security-Policy allows only this origin's scripts, styles and API calls.
 */
@Path("")
public final class DashboardResource {

  static final String FOLDER = "/dev/orderly/api/dashboard/";
  static final String PAGE = "index.html";
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'"
          + " data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  /** The dashboard's files, by name; nothing else on the class path is reachable. */
  private static final String[] FILES = {PAGE, "dashboard.js", "dashboard.css", "favicon.svg"};

  private final Map<String, File> files;

  DashboardResource() {
    Map<String, File> loaded = new java.util.HashMap<>();
    for (String name : FILES) {
      loaded.put(name, File.load(name));
    }
    this.files = Map.copyOf(loaded);
  }

  @GET
  @Produces("text/html")
  public Response page(@Context Request request) {
    return serve(PAGE, request);
  }

  @GET
  @Path("dashboard/{file}")
  public Response file(@PathParam("file") String name, @Context Request request) {
    return serve(name, request);
  }

  private Response serve(String name, Request request) {
    File file = files.get(name);
    if (file == null) {
      throw new NotFoundException("no dashboard file '" + name + "'");
    }
    CacheControl cache = new CacheControl();
    cache.setNoCache(true);
    cache.setNoTransform(false);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(file.tag());
    Response.ResponseBuilder answer =
        notModified != null ? notModified : Response.ok(file.content().clone(), file.type());
    return answer
        .tag(file.tag())
        .cacheControl(cache)
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .build();
  }

  /** One file: its bytes, media type and ETag. */
  private record File(byte[] content, String type, EntityTag tag) {

    static File load(String name) {
      try (InputStream in = DashboardResource.class.getResourceAsStream(FOLDER + name)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks " + FOLDER + name);
        }
        byte[] content = in.readAllBytes();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return new File(content, CONTENT_TYPES.get(extension), new EntityTag(sha256(content)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String sha256(byte[] content) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
