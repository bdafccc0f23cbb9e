package dev.orderly.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Requires {@code Authorization: Bearer <token>} on every request but the health checks, and
 * answers 401 {@code application/problem+json} with {@code WWW-Authenticate: Bearer} otherwise.
 * Runs before any matching or body parsing, so an unauthenticated caller reaches nothing else.
 * Thread-safe (immutable).
 *
 * <p>The token is compared with {@link MessageDigest#isEqual}, whose time depends only on the
 * length of the expected token, not on how much of a guess is right.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class BearerTokenFilter implements ContainerRequestFilter {

  /** The challenge sent with every 401 (RFC 6750). */
  static final String CHALLENGE = "Bearer realm=\"orderly\"";

  /**
   * Probes that orchestrators call without credentials, and the dashboard's static files (the page
   * asks for the token and sends it on every API call): none reveals anything about orders.
   */
  private static final Set<String> OPEN_PATHS =
      Set.of(
          "health/live",
          "health/ready",
          "",
          "dashboard/index.html",
          "dashboard/dashboard.js",
          "dashboard/dashboard.css",
          "dashboard/favicon.svg");

  private static final Set<String> OPEN_METHODS = Set.of("GET", "HEAD");
  private static final String SCHEME = "bearer ";

  private final byte[] expected;

  BearerTokenFilter(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("the API token must not be blank");
    }
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (isOpen(request)) {
      return;
    }
    List<String> headers = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (headers == null || headers.isEmpty()) {
      refuse(request, "this API requires an Authorization: Bearer token");
      return;
    }
    String presented = headers.size() == 1 ? bearerToken(headers.get(0)) : null;
    if (presented == null) {
      refuse(request, "the Authorization header must be exactly one 'Bearer <token>'");
      return;
    }
    if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      refuse(request, "the bearer token is not valid");
    }
  }

  /**
   * Only the exact encoded paths of the two probes, so that no dot segment or encoded slash turns a
   * protected path into an open one.
   */
  private static boolean isOpen(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath(false);
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    return OPEN_METHODS.contains(request.getMethod()) && OPEN_PATHS.contains(path);
  }

  /** The token of a {@code Bearer <token>} header (scheme in any case), or null. */
  private static String bearerToken(String header) {
    if (header.length() <= SCHEME.length()
        || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return null;
    }
    String token = header.substring(SCHEME.length()).strip();
    return token.isEmpty() || token.chars().anyMatch(Character::isWhitespace) ? null : token;
  }

  private static void refuse(ContainerRequestContext request, String detail) {
    request.abortWith(
        Problems.response(ProblemType.UNAUTHORIZED, detail)
            .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
            .build());
  }
}
