package dev.orderly.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over {@value #MAX_BODY_BYTES} bytes with a 413 before any JSON parsing: at
 * once when {@code Content-Length} says so, and, for a chunked body or one whose length lies, by
 * counting bytes as they are read. Thread-safe (stateless; each request gets its own counter).
 */
@PreMatching
final class BodySizeLimitFilter implements ContainerRequestFilter {

  /** 1 MiB: a batch of 1,000 typical orders fits well inside. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  @Override
  public void filter(ContainerRequestContext request) {
    String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && isOver(declared.trim())) {
      throw new PayloadTooLargeException(MAX_BODY_BYTES);
    }
    if (request.hasEntity()) {
      request.setEntityStream(new CappedInputStream(request.getEntityStream(), MAX_BODY_BYTES));
    }
  }

  private static boolean isOver(String declared) {
    // A length too long for a long is certainly over the limit; a malformed one is the
    // container's business, and the stream cap below still holds.
    if (!declared.chars().allMatch(Character::isDigit) || declared.isEmpty()) {
      return false;
    }
    return declared.length() > 18 || Long.parseLong(declared) > MAX_BODY_BYTES;
  }

  /** Counts the bytes read and fails once more than the limit arrive. Not thread-safe. */
  static final class CappedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    CappedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }

    private void counted(long n) {
      count += n;
      if (count > limit) {
        throw new PayloadTooLargeException(limit);
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
