package dev.orderly.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Runs requests through a Jersey application in memory, with no server and no socket: the whole
 * request pipeline (filters, matching, providers, mappers) runs, only the transport is missing. Not
 * thread-safe for setup; each call is independent.
 */
final class InMemoryHttp {

  static final URI BASE = URI.create("http://localhost/");

  private final ApplicationHandler handler;

  InMemoryHttp(ResourceConfig application) {
    this.handler = new ApplicationHandler(application);
  }

  ApplicationHandler handler() {
    return handler;
  }

  Request request(String method, String path) {
    return new Request(method, path);
  }

  Answer get(String path) {
    return request("GET", path).send();
  }

  Answer post(String path, String json) {
    return request("POST", path).json(json).send();
  }

  /** One request being put together. */
  final class Request {
    private final String method;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private InputStream body;

    Request(String method, String path) {
      this.method = method;
      this.path = path;
    }

    Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** A JSON body with its Content-Type and Content-Length. */
    Request json(String json) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      header("Content-Type", "application/json");
      header("Content-Length", Integer.toString(bytes.length));
      body = new ByteArrayInputStream(bytes);
      return this;
    }

    /** A body sent as is, with no Content-Length (as a chunked body arrives). */
    Request stream(String contentType, InputStream stream) {
      header("Content-Type", contentType);
      body = stream;
      return this;
    }

    Answer send() {
      ContainerRequest request =
          new ContainerRequest(
              BASE,
              BASE.resolve(path.startsWith("/") ? path.substring(1) : path),
              method,
              null,
              new MapPropertiesDelegate(),
              handler.getConfiguration());
      headers.forEach(request::header);
      if (body != null) {
        request.setEntityStream(body);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ContainerResponse response = handler.apply(request, out).get();
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        response
            .getStringHeaders()
            .forEach((name, values) -> responseHeaders.put(name.toLowerCase(), values));
        return new Answer(
            response.getStatus(),
            response.getMediaType() == null ? null : response.getMediaType().toString(),
            responseHeaders,
            out.toString(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } catch (ExecutionException e) {
        throw new AssertionError("the application failed outside its mappers", e.getCause());
      }
    }
  }

  /** What came back: status, content type, headers (names lower case) and body. */
  record Answer(int status, String contentType, Map<String, List<String>> headers, String body) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase());
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }
}
