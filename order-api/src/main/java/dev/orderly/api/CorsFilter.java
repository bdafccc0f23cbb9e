package dev.orderly.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin access for a fixed list of browser origins: answers their preflight {@code OPTIONS}
 * requests (before authentication, since browsers send preflights without credentials) and adds
 * {@code Access-Control-Allow-Origin} to the answers they get. Requests from any other origin get
 * no CORS header at all, so the browser blocks them. Registered only when origins are configured.
 * Thread-safe (immutable).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
final class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

  static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
  static final String ALLOWED_HEADERS = "Authorization, Content-Type";
  static final String EXPOSED_HEADERS = "Location, Retry-After, WWW-Authenticate";

  /** How long a browser may cache a preflight answer: 10 minutes. */
  static final int MAX_AGE_SECONDS = 600;

  private static final String ORIGIN = "Origin";
  private static final String REQUEST_METHOD = "Access-Control-Request-Method";

  private final Set<String> origins;

  /**
   * @param origins the allowed origins, each exactly as a browser sends it ({@code
   *     https://shop.example.com}, no path)
   */
  CorsFilter(List<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String origin = request.getHeaderString(ORIGIN);
    if (HttpMethod.OPTIONS.equals(request.getMethod())
        && request.getHeaderString(REQUEST_METHOD) != null
        && origin != null
        && origins.contains(origin)) {
      // The response filter below adds the allow-origin header to this answer too.
      request.abortWith(
          Response.noContent()
              .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
              .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
              .header("Access-Control-Max-Age", MAX_AGE_SECONDS)
              .build());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String origin = request.getHeaderString(ORIGIN);
    if (origin == null || !origins.contains(origin)) {
      return;
    }
    MultivaluedMap<String, Object> headers = response.getHeaders();
    headers.putSingle("Access-Control-Allow-Origin", origin);
    headers.putSingle("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    // The answer depends on the Origin header: caches must not serve it to another origin.
    headers.add("Vary", ORIGIN);
  }
}
