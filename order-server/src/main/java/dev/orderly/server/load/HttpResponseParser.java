package dev.orderly.server.load;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An incremental parser of HTTP/1.1 responses on one keep-alive connection: feed it bytes as they
 * arrive, in pieces of any size, and it says when a whole response is in. It understands {@code
 * Content-Length} bodies, {@code Transfer-Encoding: chunked} bodies (extensions and trailers
 * skipped), bodies that end when the server closes the connection, responses that never have a body
 * (1xx, 204, 304, and any answer to HEAD is not used here), and skips interim 1xx responses. Bytes
 * after a complete response stay in the buffer for the next one. Not thread-safe: one per
 * connection.
 *
 * <pre>{@code
 * parser.reset();
 * while (!parser.feed(buffer)) { read more into buffer }
 * int status = parser.status();
 * }</pre>
 */
final class HttpResponseParser {

  /** A response that breaks HTTP/1.1 framing; the connection cannot be reused. */
  static final class MalformedResponseException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String message) {
      super(message);
    }
  }

  /** Longest status or header line accepted, so a broken peer cannot grow the buffer forever. */
  static final int MAX_LINE = 16 * 1024;

  /** Largest body kept; longer bodies are read and counted but their excess dropped. */
  static final int MAX_KEPT_BODY = 64 * 1024 * 1024;

  private enum State {
    STATUS_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_DATA_END,
    TRAILERS,
    UNTIL_CLOSE,
    DONE
  }

  private final StringBuilder line = new StringBuilder();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private State state = State.STATUS_LINE;
  private boolean lastByteWasCr;
  private int status;
  private long remaining;
  private long contentLength;
  private boolean chunked;
  private boolean connectionClose;
  private boolean http10;
  private String retryAfter;

  /** Prepares for the next response on the connection. */
  void reset() {
    line.setLength(0);
    body.reset();
    state = State.STATUS_LINE;
    lastByteWasCr = false;
    status = 0;
    remaining = 0;
    contentLength = -1;
    chunked = false;
    connectionClose = false;
    http10 = false;
    retryAfter = null;
  }

  HttpResponseParser() {
    reset();
  }

  /**
   * Consumes bytes from {@code buffer} (in read mode) up to the end of the current response.
   *
   * @return true when the response is complete; bytes beyond it are left in the buffer
   */
  boolean feed(ByteBuffer buffer) throws MalformedResponseException {
    while (buffer.hasRemaining() && state != State.DONE) {
      switch (state) {
        case STATUS_LINE, HEADERS, CHUNK_SIZE, CHUNK_DATA_END, TRAILERS -> {
          String text = readLine(buffer);
          if (text != null) {
            onLine(text);
          }
        }
        case FIXED_BODY, CHUNK_DATA -> {
          int take = (int) Math.min(remaining, buffer.remaining());
          keep(buffer, take);
          remaining -= take;
          if (remaining == 0) {
            state = state == State.FIXED_BODY ? State.DONE : State.CHUNK_DATA_END;
          }
        }
        case UNTIL_CLOSE -> keep(buffer, buffer.remaining());
        default -> throw new IllegalStateException(state.name());
      }
    }
    return state == State.DONE;
  }

  /**
   * Tells the parser that the server closed the connection.
   *
   * @return true when that ends the response (a body delimited by the close)
   */
  boolean endOfStream() {
    if (state == State.UNTIL_CLOSE) {
      state = State.DONE;
      return true;
    }
    return state == State.DONE;
  }

  /** True once the status line has arrived: a close after it is not a silent drop. */
  boolean started() {
    return state != State.STATUS_LINE || line.length() > 0;
  }

  int status() {
    return status;
  }

  byte[] body() {
    return body.toByteArray();
  }

  String bodyText() {
    return body.toString(StandardCharsets.UTF_8);
  }

  /** The body's length as the server framed it (the Content-Length, or the sum of the chunks). */
  long contentLength() {
    return contentLength;
  }

  /** The {@code Retry-After} header, or null. */
  String retryAfter() {
    return retryAfter;
  }

  /** True when the connection cannot carry another request after this response. */
  boolean mustClose() {
    return connectionClose || http10;
  }

  private void keep(ByteBuffer buffer, int length) {
    int kept = (int) Math.min(length, Math.max(0, MAX_KEPT_BODY - body.size()));
    if (buffer.hasArray()) {
      body.write(buffer.array(), buffer.arrayOffset() + buffer.position(), kept);
      buffer.position(buffer.position() + length);
    } else {
      for (int i = 0; i < length; i++) {
        byte b = buffer.get();
        if (i < kept) {
          body.write(b);
        }
      }
    }
    if (state == State.UNTIL_CLOSE) {
      contentLength = body.size();
    }
  }

  /** Returns a whole line without its CRLF (or bare LF), or null when it is not complete yet. */
  private String readLine(ByteBuffer buffer) throws MalformedResponseException {
    while (buffer.hasRemaining()) {
      char c = (char) (buffer.get() & 0xff);
      if (c == '\n') {
        if (lastByteWasCr) {
          line.setLength(line.length() - 1);
        }
        lastByteWasCr = false;
        String text = line.toString();
        line.setLength(0);
        return text;
      }
      lastByteWasCr = c == '\r';
      line.append(c);
      if (line.length() > MAX_LINE) {
        throw new MalformedResponseException("line longer than " + MAX_LINE + " bytes");
      }
    }
    return null;
  }

  private void onLine(String text) throws MalformedResponseException {
    switch (state) {
      case STATUS_LINE -> onStatusLine(text);
      case HEADERS -> {
        if (text.isEmpty()) {
          onHeadersEnd();
        } else {
          onHeader(text);
        }
      }
      case CHUNK_SIZE -> onChunkSize(text);
      case CHUNK_DATA_END -> {
        if (!text.isEmpty()) {
          throw new MalformedResponseException("chunk not followed by CRLF");
        }
        state = State.CHUNK_SIZE;
      }
      case TRAILERS -> {
        if (text.isEmpty()) {
          state = State.DONE;
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void onStatusLine(String text) throws MalformedResponseException {
    if (text.isEmpty()) {
      return; // Tolerated: a stray CRLF between responses.
    }
    if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ') {
      throw new MalformedResponseException("bad status line: " + abbreviate(text));
    }
    http10 = text.charAt(7) == '0';
    try {
      status = Integer.parseInt(text.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("bad status code: " + abbreviate(text));
    }
    if (status < 100 || status > 999) {
      throw new MalformedResponseException("bad status code: " + abbreviate(text));
    }
    state = State.HEADERS;
  }

  private void onHeader(String text) throws MalformedResponseException {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new MalformedResponseException("bad header line: " + abbreviate(text));
    }
    String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).trim();
    switch (name) {
      case "content-length" -> {
        try {
          long length = Long.parseLong(value);
          if (length < 0 || (contentLength >= 0 && contentLength != length)) {
            throw new MalformedResponseException("bad Content-Length: " + abbreviate(value));
          }
          contentLength = length;
        } catch (NumberFormatException e) {
          throw new MalformedResponseException("bad Content-Length: " + abbreviate(value));
        }
      }
      case "transfer-encoding" -> {
        String last = value.substring(value.lastIndexOf(',') + 1).trim();
        chunked = last.equalsIgnoreCase("chunked");
      }
      case "connection" -> {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.contains("close")) {
          connectionClose = true;
        } else if (lower.contains("keep-alive")) {
          http10 = false;
        }
      }
      case "retry-after" -> retryAfter = value;
      default -> {
        // Other headers do not matter to the load tool.
      }
    }
  }

  private void onHeadersEnd() {
    if (status < 200) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      boolean close = connectionClose;
      reset();
      connectionClose = close;
      return;
    }
    if (status == 204 || status == 304) {
      contentLength = 0;
      state = State.DONE;
    } else if (chunked) {
      // Transfer-Encoding wins over Content-Length (RFC 9112 section 6.3).
      contentLength = 0;
      state = State.CHUNK_SIZE;
    } else if (contentLength >= 0) {
      remaining = contentLength;
      state = remaining == 0 ? State.DONE : State.FIXED_BODY;
    } else {
      contentLength = 0;
      connectionClose = true;
      state = State.UNTIL_CLOSE;
    }
  }

  private void onChunkSize(String text) throws MalformedResponseException {
    int end = text.indexOf(';');
    String hex = (end >= 0 ? text.substring(0, end) : text).trim();
    long size;
    try {
      size = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new MalformedResponseException("bad chunk size: " + abbreviate(text));
    }
    if (size < 0) {
      throw new MalformedResponseException("bad chunk size: " + abbreviate(text));
    }
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      contentLength += size;
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
