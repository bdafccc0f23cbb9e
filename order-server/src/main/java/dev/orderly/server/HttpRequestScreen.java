package dev.orderly.server;

import dev.orderly.api.HttpProblem;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.util.DataChunk;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.jersey.message.internal.HttpHeaderReader;

/**
 * Screens a request's line and headers once Grizzly has parsed them, before the token check, the
 * routing or the body: what HTTP/1.1 forbids or what the API cannot serve is refused here, so that
 * no such request reaches Grizzly's or Jersey's own error paths (an HTML 500 page naming Grizzly,
 * an empty 400) and none is half-served. Stateless and thread-safe.
 *
 * <p>Refused, each with a problem naming the part at fault:
 *
 * <ul>
 *   <li>an HTTP version other than 1.0 and 1.1 (505), and a request line without a target or a
 *       version (400);
 *   <li>a method that is not a token, a target that is not a path starting with {@code /}, holds a
 *       byte outside visible ASCII (a space, a control byte such as NUL, a raw non-ASCII byte), a
 *       {@code %} not followed by two hex digits, or in its path a character RFC 3986 requires to
 *       be percent-encoded ({@code |}, {@code [}) (400);
 *   <li>a {@code Host} that is not a host and port, or comes twice (400);
 *   <li>a {@code Transfer-Encoding} with a {@code Content-Length}, or one other than {@code
 *       chunked}: the body's end is then ambiguous, the ground of request smuggling (RFC 9112
 *       section 6.3), so the connection is closed too (400);
 *   <li>a {@code Content-Encoding} other than {@code identity}: the API reads only plain JSON
 *       (415);
 *   <li>a {@code Content-Type} given twice or that is not a media type, and an {@code Accept} that
 *       is not a list of media ranges, both read with Jersey's own parser (400).
 * </ul>
 */
final class HttpRequestScreen {

  /** Why a request is refused: the status and the problem's wording. */
  record Refusal(int status, String detail, String field, String message) {

    /** The problem+json body. */
    byte[] body() {
      return HttpProblem.json(status, detail, field, message);
    }
  }

  private static final String INVALID = "the request is not valid HTTP/1.1: ";

  private HttpRequestScreen() {}

  /** The refusal of {@code request}, or empty when it may be served. */
  static Optional<Refusal> screen(HttpRequestPacket request) {
    Refusal refusal = version(request);
    if (refusal == null) {
      refusal = requestLine(request);
    }
    if (refusal == null) {
      refusal = headers(request.getHeaders());
    }
    return Optional.ofNullable(refusal);
  }

  private static Refusal version(HttpRequestPacket request) {
    Protocol protocol;
    try {
      protocol = request.getProtocol();
    } catch (IllegalStateException unknown) {
      // Grizzly's codec answers an unknown version with 505 itself; this is not reached then.
      return versionNotSupported();
    }
    if (protocol == Protocol.HTTP_0_9) {
      // "GET HTTP/1.1" or "GET /x": one word after the method, taken for an HTTP/0.9 request.
      return new Refusal(
          400,
          INVALID + "the request line must be a method, a target and the HTTP version",
          "request line",
          "has no target or no HTTP version");
    }
    return protocol == Protocol.HTTP_1_0 || protocol == Protocol.HTTP_1_1
        ? null
        : versionNotSupported();
  }

  private static Refusal versionNotSupported() {
    return new Refusal(505, "only HTTP/1.0 and HTTP/1.1 are served", "version", "is not supported");
  }

  private static Refusal requestLine(HttpRequestPacket request) {
    String method = request.getMethodDC().toString();
    if (method.isEmpty() || !method.chars().allMatch(HttpRequestScreen::isTokenChar)) {
      return new Refusal(400, INVALID + "the method is not a token", "method", "is not a token");
    }
    String path = request.getRequestURIRef().getRequestURIBC().toString();
    DataChunk query = request.getQueryStringDC();
    String problem;
    if (!path.startsWith("/")) {
      problem = "is not a path starting with /";
    } else {
      problem = targetFault(path, true);
      if (problem == null && !query.isNull()) {
        problem = targetFault(query.toString(), false);
      }
    }
    return problem == null
        ? null
        : new Refusal(400, INVALID + "the request target " + problem, "target", problem);
  }

  /**
   * What is wrong with a target's path or query, or null when nothing is. A path holds only the
   * characters of RFC 3986 (java.net.URI, with which Jersey reads it, refuses the others: {@code |},
   * {@code {}, {@code [} and the like); Jersey encodes such characters in a query itself, so there
   * only bytes outside visible ASCII are refused.
   */
  private static String targetFault(String part, boolean path) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c <= ' ' || c > '~') {
        return "holds a space, a control or a non-ASCII byte; percent-encode it";
      }
      if (path && !isPathChar(c)) {
        return "holds '" + c + "', which a path must percent-encode";
      }
      if (c == '%'
          && (i + 2 >= part.length() || !isHex(part.charAt(i + 1)) || !isHex(part.charAt(i + 2)))) {
        return "holds a % that is not followed by two hex digits";
      }
    }
    return null;
  }

  private static Refusal headers(MimeHeaders headers) {
    String host = null;
    int hosts = 0;
    boolean contentLength = false;
    String transferEncoding = null;
    String contentEncoding = null;
    String contentType = null;
    int contentTypes = 0;
    StringBuilder accept = null;
    for (int i = 0; i < headers.size(); i++) {
      DataChunk name = headers.getName(i);
      if (name.equalsIgnoreCase("Host")) {
        host = headers.getValue(i).toString();
        hosts++;
      } else if (name.equalsIgnoreCase("Content-Length")) {
        contentLength = true;
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        transferEncoding = join(transferEncoding, headers.getValue(i));
      } else if (name.equalsIgnoreCase("Content-Encoding")) {
        contentEncoding = join(contentEncoding, headers.getValue(i));
      } else if (name.equalsIgnoreCase("Content-Type")) {
        contentType = headers.getValue(i).toString();
        contentTypes++;
      } else if (name.equalsIgnoreCase("Accept")) {
        // Jersey reads several Accept headers as one list, joined by commas.
        accept = accept == null ? new StringBuilder() : accept.append(',');
        accept.append(headers.getValue(i).toString());
      }
    }
    if (hosts > 1 || host != null && !isHost(host)) {
      return new Refusal(
          400,
          INVALID + "Host must be given once, as a host name or address and a port",
          "Host",
          hosts > 1 ? "is given more than once" : "is not a host and port");
    }
    if (transferEncoding != null) {
      if (contentLength) {
        return new Refusal(
            400,
            INVALID + "a request must not have both Transfer-Encoding and Content-Length",
            "Content-Length",
            "must not come with Transfer-Encoding");
      }
      if (!transferEncoding.strip().equalsIgnoreCase("chunked")) {
        return new Refusal(
            400,
            INVALID + "the only transfer coding accepted is chunked",
            "Transfer-Encoding",
            "must be chunked");
      }
    }
    if (contentEncoding != null) {
      for (String coding : contentEncoding.split(",", -1)) {
        if (!coding.strip().equalsIgnoreCase("identity")) {
          String named = coding.strip().toLowerCase(Locale.ROOT);
          return new Refusal(
              415,
              "the body must not be encoded; Content-Encoding '" + named + "' is not supported",
              "Content-Encoding",
              "'" + named + "' is not supported; send the body unencoded");
        }
      }
    }
    if (contentTypes > 1 || contentType != null && !isMediaType(contentType)) {
      return new Refusal(
          400,
          "Content-Type must be given once, as a media type such as application/json",
          "Content-Type",
          contentTypes > 1 ? "is given more than once" : "is not a media type");
    }
    if (accept != null && !isAcceptList(accept.toString())) {
      return new Refusal(
          400,
          "Accept must be a list of media ranges, such as application/json",
          "Accept",
          "is not a list of media ranges");
    }
    return null;
  }

  private static String join(String values, DataChunk value) {
    return values == null ? value.toString() : values + "," + value;
  }

  /**
   * A host name, an IPv4 address or a bracketed IPv6 address, with an optional port: what Jersey
   * can build the request's URI from ({@code new URI("http", null, host, port, ...)}), which
   * otherwise fails with an exception, a 500 (an underscore in a name, say).
   */
  private static boolean isHost(String host) {
    String name = host;
    int port = -1;
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && colon > host.lastIndexOf(']')) {
      String digits = host.substring(colon + 1);
      if (digits.isEmpty()
          || digits.length() > 5
          || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      port = Integer.parseInt(digits);
      name = host.substring(0, colon);
    }
    if (name.isEmpty()) {
      return false;
    }
    try {
      return new URI("http", null, name, port, null, null, null).getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isMediaType(String value) {
    if (isPlainMediaType(value)) {
      return true;
    }
    try {
      MediaType.valueOf(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isAcceptList(String value) {
    if (isPlainMediaType(value)) {
      return true;
    }
    try {
      HttpHeaderReader.readAcceptMediaType(value);
      return true;
    } catch (ParseException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * {@code type/subtype} in tokens, nothing else: the common case ({@code application/json}, {@code
   * *}{@code /*}), known valid without running Jersey's parser on every create.
   */
  private static boolean isPlainMediaType(String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (i != slash && !isTokenChar(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A {@code tchar} of RFC 9110 section 5.6.2. */
  private static boolean isTokenChar(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** An unreserved or sub-delimiter character, {@code :}, {@code @}, {@code /} or {@code %}. */
  private static boolean isPathChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
