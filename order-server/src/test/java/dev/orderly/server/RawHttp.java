package dev.orderly.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: for requests no well-behaved client sends
 * (invalid UTF-8, conflicting lengths, oversized headers). One request per connection ({@code
 * Connection: close}). Stateless and thread-safe.
 */
final class RawHttp {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final URI base;

  RawHttp(URI base) {
    this.base = base;
  }

  /**
   * What came back: status (0 when the server closed without answering), its reason phrase, headers
   * (names in lower case, in the order sent), body.
   */
  record Answer(int status, String reason, Map<String, String> headers, byte[] body) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + text();
    }
  }

  /**
   * Sends one request. {@code Content-Length} is added for a body unless the headers already have
   * one or ask for chunked transfer, in which case a plain body is chunked here unless it already
   * is.
   *
   * @param headers header names to one or more values, sent in order
   */
  Answer send(String method, String path, Map<String, List<String>> headers, byte[] body) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    write(request, method + " " + path + " HTTP/1.1\r\n");
    write(request, "Host: " + base.getHost() + ":" + base.getPort() + "\r\n");
    boolean hasLength = false;
    boolean chunked = false;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      hasLength |= header.getKey().equalsIgnoreCase("Content-Length");
      chunked |= header.getKey().equalsIgnoreCase("Transfer-Encoding");
      for (String value : header.getValue()) {
        write(request, header.getKey() + ": " + value + "\r\n");
      }
    }
    if (body != null && !hasLength && !chunked) {
      write(request, "Content-Length: " + body.length + "\r\n");
    }
    write(request, "Connection: close\r\n\r\n");
    if (body != null) {
      if (chunked && !hasLength && !looksChunked(body)) {
        write(request, Integer.toHexString(body.length) + "\r\n");
        request.writeBytes(body);
        write(request, "\r\n0\r\n\r\n");
      } else {
        request.writeBytes(body);
      }
    }
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(base.getHost(), base.getPort()), (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before reading a large body: read what it said.
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    }
  }

  private static boolean looksChunked(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 16), StandardCharsets.ISO_8859_1);
    return text.matches("(?s)[0-9a-zA-Z]+\r\n.*");
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no complete answer within " + TIMEOUT + ": " + bytes, e);
    } catch (IOException e) {
      // A reset after the answer (the server closed with unread request bytes): keep the answer.
    }
    return bytes.toByteArray();
  }

  static Answer parse(byte[] response) {
    String all = new String(response, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      return new Answer(0, "", Map.of(), response);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Answer(status, statusLine.length > 2 ? statusLine[2] : "", headers, body);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int position = 0;
    while (position < text.length()) {
      int lineEnd = text.indexOf("\r\n", position);
      int size = Integer.parseInt(text.substring(position, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      position = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
