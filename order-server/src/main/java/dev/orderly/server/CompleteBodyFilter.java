package dev.orderly.server;

import dev.orderly.api.HttpProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpTrailer;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Holds each request back from the HTTP handlers until its whole body has arrived, so that no
 * handler thread ever waits on a slow client: Grizzly's few worker threads read bodies without
 * blocking, here, and run Jersey or the create fast path only on a body already in memory. A body
 * that has not arrived in full within the timeout of its headers is answered {@code 408} with a
 * problem+json body, and its connection closed. Thread-safe.
 *
 * <p>A request whose body came with its headers (nearly every create) passes straight through. A
 * body over the limit is not held: what has arrived goes on to the handlers, which refuse it with
 * {@code 413} (on {@code Content-Length} before reading, or on counting the bytes of a chunked
 * body), without waiting for the rest.
 */
final class CompleteBodyFilter extends BaseFilter {

  /** The one thread that cuts off late bodies, shared by every server in the JVM. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Attribute<Held> held =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(CompleteBodyFilter.class.getName());
  private final int maxBodyBytes;
  private final Duration timeout;
  private final byte[] timedOut;

  /**
   * @param maxBodyBytes the largest body held back; a longer one goes on to be refused
   * @param timeout how long after its headers a body may take to arrive in full
   */
  CompleteBodyFilter(int maxBodyBytes, Duration timeout) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 1, was " + maxBodyBytes);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    this.maxBodyBytes = maxBodyBytes;
    this.timeout = timeout;
    this.timedOut = timedOutAnswer(timeout);
  }

  /** Puts the filter just before Grizzly's HTTP server filter, which runs the handlers. */
  static final class Installer implements AddOn {
    private final int maxBodyBytes;
    private final Duration timeout;

    Installer(int maxBodyBytes, Duration timeout) {
      this.maxBodyBytes = maxBodyBytes;
      this.timeout = timeout;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
      builder.add(
          builder.indexOfType(HttpServerFilter.class),
          new CompleteBodyFilter(maxBodyBytes, timeout));
    }
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    if (!(ctx.getMessage() instanceof HttpContent content)) {
      return ctx.getInvokeAction();
    }
    Connection<?> connection = ctx.getConnection();
    Held body = held.get(connection);
    if (body != null && body.header != content.getHttpHeader()) {
      // Left from a request answered before the rest of its body came.
      body.abandon();
      held.remove(connection);
      body = null;
    }
    if (body == null) {
      if (content.isLast() || !(content.getHttpHeader() instanceof HttpRequestPacket request)) {
        // The whole body is here (or there is none): the usual case, at no cost.
        return ctx.getInvokeAction();
      }
      if (request.getContentLength() <= 0 && !request.isChunked()) {
        // No body by RFC 9112 section 6.3, though Grizzly expects more content: a request with
        // "Upgrade" (the JDK's HttpClient asks every plain-HTTP request to upgrade to h2c) is
        // one. Holding it would answer 408 after the timeout.
        return ctx.getInvokeAction();
      }
      body = hold(ctx, request);
      held.set(connection, body);
    }
    return body.add(ctx, content);
  }

  /** Starts holding the body of {@code request}, whose headers have just arrived. */
  private Held hold(FilterChainContext ctx, HttpRequestPacket request) {
    Held body = new Held(request, ctx.getConnection());
    if (request.getContentLength() > maxBodyBytes) {
      // The handlers refuse it on its length, unread.
      body.passing = true;
      return body;
    }
    String expect = request.getHeader(Header.Expect);
    if (expect != null && !"100-continue".equalsIgnoreCase(expect.strip())) {
      // Grizzly answers 417, unread.
      body.passing = true;
      return body;
    }
    if (request.requiresAcknowledgement()) {
      // The client waits for this before it sends the body. Grizzly acknowledges again when the
      // handler runs, after the body: a client ignores the second 100 (RFC 9110, section 15.2).
      ctx.write(Buffers.wrap(ctx.getConnection().getMemoryManager(), CONTINUE));
    }
    body.timeout = TIMER.schedule(body::cutOff, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return body;
  }

  @Override
  public NextAction handleClose(FilterChainContext ctx) throws IOException {
    Held body = held.remove(ctx.getConnection());
    if (body != null) {
      body.abandon();
    }
    return ctx.getInvokeAction();
  }

  private static <L> void writeAndClose(Connection<L> connection, Buffer bytes) {
    connection.write(
        bytes,
        new EmptyCompletionHandler<WriteResult<Buffer, L>>() {
          @Override
          public void completed(WriteResult<Buffer, L> result) {
            connection.closeSilently();
          }

          @Override
          public void failed(Throwable error) {
            connection.closeSilently();
          }
        });
  }

  private static byte[] timedOutAnswer(Duration timeout) {
    byte[] problem =
        HttpProblem.json(
            408,
            "the request body did not arrive in full within " + describe(timeout),
            "body",
            "arrived too slowly");
    byte[] head =
        ("HTTP/1.1 408 Request Timeout\r\nContent-Type: "
                + HttpProblem.MEDIA_TYPE
                + "\r\nContent-Length: "
                + problem.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] answer = Arrays.copyOf(head, head.length + problem.length);
    System.arraycopy(problem, 0, answer, head.length, problem.length);
    return answer;
  }

  private static String describe(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "orderly-http-body-timeout");
              thread.setDaemon(true);
              return thread;
            });
    // A body that arrives in time cancels its timeout: drop it at once, not 10 s later.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * The part of one request's body that has arrived. Its chunks are copied into one array, not
   * kept: a client sending a byte at a time would otherwise cost a buffer per byte. Guarded by its
   * own lock: the connection's reads and the timer meet here.
   */
  private final class Held {
    final HttpHeader header;
    final Connection<?> connection;
    boolean passing;
    volatile ScheduledFuture<?> timeout;
    private byte[] bytes = new byte[0];
    private int size;
    private boolean done;

    Held(HttpHeader header, Connection<?> connection) {
      this.header = header;
      this.connection = connection;
    }

    /** On the connection's read: takes one more part of the body. */
    NextAction add(FilterChainContext ctx, HttpContent content) {
      if (passing) {
        if (content.isLast()) {
          held.remove(connection);
        }
        return ctx.getInvokeAction();
      }
      synchronized (this) {
        if (done) {
          // Cut off: the 408 is on its way and the connection closing.
          if (!HttpContent.isBroken(content)) {
            content.getContent().tryDispose();
          }
          return ctx.getStopAction();
        }
        if (HttpContent.isBroken(content)) {
          // A malformed chunk: the codec has answered, and the handlers see the failure.
          finish();
          return ctx.getInvokeAction();
        }
        append(content.getContent());
        boolean over = size > maxBodyBytes;
        if (!content.isLast() && !over) {
          return ctx.getStopAction();
        }
        finish();
        if (!content.isLast()) {
          // Over the limit: the handlers refuse it on what has arrived; any rest follows as is.
          passing = true;
          held.set(connection, this);
        }
        ctx.setMessage(whole(content));
        return ctx.getInvokeAction();
      }
    }

    private void append(Buffer chunk) {
      int length = chunk.remaining();
      if (size + length > bytes.length) {
        // Grows with what has arrived, not with what was announced: a client announcing 1 MiB
        // and sending a byte costs a few bytes.
        int doubled = Math.min(Math.max(2 * bytes.length, 1024), maxBodyBytes + 1);
        bytes = Arrays.copyOf(bytes, Math.max(size + length, doubled));
      }
      chunk.get(bytes, size, length);
      size += length;
      chunk.tryDispose();
    }

    /** The body so far as one content of the request, with the trailer of a chunked body. */
    private HttpContent whole(HttpContent last) {
      Buffer all = Buffers.wrap(connection.getMemoryManager(), bytes, 0, size);
      bytes = null;
      if (HttpTrailer.isTrailer(last)) {
        return HttpTrailer.builder(header)
            .headers(((HttpTrailer) last).getHeaders())
            .content(all)
            .last(true)
            .build();
      }
      return HttpContent.builder(header).content(all).last(last.isLast()).build();
    }

    private void finish() {
      done = true;
      timeout.cancel(false);
      held.remove(connection);
    }

    /** On the timer's thread: answers 408 and closes, unless the body has arrived meanwhile. */
    void cutOff() {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        bytes = null;
      }
      // No handler has seen this request, so nothing else writes to the connection: the answer
      // goes out as bytes, and the connection closes once they are written.
      writeAndClose(connection, Buffers.wrap(connection.getMemoryManager(), timedOut));
    }

    /** The connection closed, or the request was answered without the rest of its body. */
    synchronized void abandon() {
      done = true;
      bytes = null;
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
  }
}
