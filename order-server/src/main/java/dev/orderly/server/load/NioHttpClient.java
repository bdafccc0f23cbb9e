package dev.orderly.server.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small non-blocking HTTP/1.1 client that keeps many keep-alive connections busy from one or two
 * I/O threads, so that the load tool is not the bottleneck it measures (a thread per connection
 * topped out near 2k requests/s on this kind of machine). Each connection carries one request at a
 * time (no pipelining); a connection the server closes is reopened when next needed.
 *
 * <p>A run takes its {@link Exchange}s from a {@link Source} until the source is exhausted and
 * every exchange has ended, and reports each end once to a {@link Handler}: the response (any
 * status), or the last transport error. Transport errors (refused, reset, closed before the
 * response, timeout, malformed response) and, when enabled, {@code 503} answers are retried on a
 * fresh attempt, up to {@code maxAttempts}, after a short backoff (a {@code Retry-After} is
 * honoured); each one is counted by kind in the shared {@link ErrorCounts}. Retrying is safe for
 * the load tool because its creates are idempotent and its reads have no effect.
 *
 * <p>Thread-safety: {@link #run} may be called once per client; the source and handler are called
 * from every I/O thread and must be thread-safe. The latency histograms are per thread and merged
 * by {@link #latencies()} after the run.
 *
 * <pre>{@code
 * NioHttpClient client = new NioHttpClient(address, 64, 1, Duration.ofSeconds(30), 5, errors);
 * client.run(source, handler);
 * }</pre>
 */
final class NioHttpClient {

  /**
   * One request to send, and the caller's note of what it is for. Mutated by one thread at once.
   */
  static final class Exchange {
    final byte[] request;
    final int index;
    final long dueNanos;
    int attempts;
    long notBeforeNanos;

    /**
     * @param request the whole HTTP/1.1 request, head and body
     * @param index the caller's number for it (which order)
     * @param dueNanos when the request was meant to be sent ({@link System#nanoTime()}); latency is
     *     measured from here, so a paced run that falls behind shows it (no coordinated omission)
     */
    Exchange(byte[] request, int index, long dueNanos) {
      this.request = request;
      this.index = index;
      this.dueNanos = dueNanos;
    }
  }

  /** Hands out exchanges. Thread-safe. */
  interface Source {
    /** The next exchange that is due at {@code nowNanos}, or null when none is due yet. */
    Exchange poll(long nowNanos);

    /** When the next exchange falls due; only asked after {@link #poll} returned null. */
    long nextDueNanos();

    /** True once {@link #poll} will never return another exchange. */
    boolean exhausted();
  }

  /** Receives the end of each exchange, once. Called on the I/O threads; must be thread-safe. */
  interface Handler {
    /**
     * A response arrived.
     *
     * @param response the parsed response, valid only during this call
     * @param latencyNanos from the exchange's due time to the last byte of this response
     */
    void onResponse(Exchange exchange, HttpResponseParser response, long latencyNanos);

    /** Every attempt failed without a usable response; {@code kind} is the last error's kind. */
    void onFailure(Exchange exchange, String kind);
  }

  static final String TIMEOUT = "timeout";
  static final String CONNECT_REFUSED = "connect_refused";
  static final String CONNECTION_RESET = "connection_reset";
  static final String CLOSED_BEFORE_RESPONSE = "closed_before_response";
  static final String CLOSED_MID_RESPONSE = "closed_mid_response";
  static final String BAD_RESPONSE = "bad_response";
  static final String IO_ERROR = "io_error";

  private static final int READ_BUFFER_BYTES = 16 * 1024;
  private static final long TIMEOUT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_SELECT_MILLIS = 100;
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long MAX_RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final InetSocketAddress address;
  private final int connections;
  private final int ioThreads;
  private final long requestTimeoutNanos;
  private final int maxAttempts;
  private final boolean retryOn503;
  private final ErrorCounts errors;
  private final LongAdder responses = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder connects = new LongAdder();
  private final List<IoLoop> loops = new ArrayList<>();

  NioHttpClient(
      InetSocketAddress address,
      int connections,
      int ioThreads,
      Duration requestTimeout,
      int maxAttempts,
      boolean retryOn503,
      ErrorCounts errors) {
    if (connections < 1 || ioThreads < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("connections, ioThreads and maxAttempts must be >= 1");
    }
    this.address = address;
    this.connections = connections;
    this.ioThreads = Math.min(ioThreads, connections);
    this.requestTimeoutNanos = requestTimeout.toNanos();
    this.maxAttempts = maxAttempts;
    this.retryOn503 = retryOn503;
    this.errors = errors;
  }

  /** Builds a request: {@code body} null sends none. */
  static byte[] request(String method, String host, String path, String body) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(128 + path.length());
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append("\r\n");
    head.append("Accept: application/json\r\n");
    if (body != null) {
      head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(content.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + content.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(content, 0, request, headBytes.length, content.length);
    return request;
  }

  /** Runs until the source is exhausted and every exchange has ended. */
  void run(Source source, Handler handler) throws IOException {
    for (int i = 0; i < ioThreads; i++) {
      int share = connections / ioThreads + (i < connections % ioThreads ? 1 : 0);
      loops.add(new IoLoop(share, source, handler));
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < loops.size(); i++) {
      Thread thread = new Thread(loops.get(i)::runQuietly, "orderly-load-io-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    loops.get(0).run();
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the I/O threads", e);
      }
    }
    for (IoLoop loop : loops) {
      if (loop.failure != null) {
        throw loop.failure;
      }
    }
  }

  /** Every latency recorded by the run's I/O threads (call after {@link #run}). */
  LatencyHistogram latencies() {
    LatencyHistogram all = new LatencyHistogram();
    for (IoLoop loop : loops) {
      all.add(loop.latencies);
    }
    return all;
  }

  /** Responses received so far (retried 503s included). */
  long responses() {
    return responses.sum();
  }

  /** Attempts that were retried so far. */
  long retries() {
    return retries.sum();
  }

  /** Connections opened so far. */
  long connects() {
    return connects.sum();
  }

  static String kindOf(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof ConnectException || message.contains("refused")) {
      return CONNECT_REFUSED;
    }
    if (message.contains("reset")) {
      return CONNECTION_RESET;
    }
    if (message.contains("broken pipe")) {
      return "broken_pipe";
    }
    return IO_ERROR;
  }

  /** One connection: at most one exchange in flight. Used by its loop's thread only. */
  private static final class Connection {
    final HttpResponseParser parser = new HttpResponseParser();
    SocketChannel channel;
    SelectionKey key;
    Exchange exchange;
    ByteBuffer out;
    long deadlineNanos;
  }

  /** A selector and its share of the connections, run by one thread. */
  private final class IoLoop {
    final Selector selector;
    final List<Connection> all = new ArrayList<>();
    final ArrayDeque<Connection> available = new ArrayDeque<>();
    final PriorityQueue<Exchange> backlog =
        new PriorityQueue<>((a, b) -> Long.compare(a.notBeforeNanos, b.notBeforeNanos));
    final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
    final LatencyHistogram latencies = new LatencyHistogram();
    final Source source;
    final Handler handler;
    int inFlight;
    long lastTimeoutCheck;
    IOException failure;

    IoLoop(int share, Source source, Handler handler) throws IOException {
      this.selector = Selector.open();
      this.source = source;
      this.handler = handler;
      for (int i = 0; i < share; i++) {
        Connection connection = new Connection();
        all.add(connection);
        available.add(connection);
      }
    }

    void runQuietly() {
      try {
        run();
      } catch (IOException e) {
        failure = e;
      }
    }

    void run() throws IOException {
      try {
        while (true) {
          long now = System.nanoTime();
          dispatch(now);
          if (inFlight == 0 && backlog.isEmpty() && source.exhausted()) {
            return;
          }
          long waitNanos = nanosToWait(now);
          if (waitNanos <= 0) {
            selector.selectNow();
          } else {
            // Rounded up: rounding down would spin until a paced request falls due.
            selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
          }
          now = System.nanoTime();
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            onReady(key, now);
          }
          if (now - lastTimeoutCheck >= TIMEOUT_CHECK_NANOS) {
            lastTimeoutCheck = now;
            checkTimeouts(now);
          }
        }
      } finally {
        for (Connection connection : all) {
          closeQuietly(connection);
        }
        selector.close();
      }
    }

    private long nanosToWait(long now) {
      long wait = TimeUnit.MILLISECONDS.toNanos(MAX_SELECT_MILLIS);
      if (!backlog.isEmpty() && !available.isEmpty()) {
        wait = Math.min(wait, backlog.peek().notBeforeNanos - now);
      }
      if (!available.isEmpty() && !source.exhausted()) {
        wait = Math.min(wait, source.nextDueNanos() - now);
      }
      if (inFlight > 0) {
        wait = Math.min(wait, TIMEOUT_CHECK_NANOS);
      }
      return Math.max(0, wait);
    }

    /** Gives due exchanges (retries first) to available connections. */
    private void dispatch(long now) {
      while (!available.isEmpty()) {
        Exchange exchange;
        if (!backlog.isEmpty() && backlog.peek().notBeforeNanos - now <= 0) {
          exchange = backlog.poll();
        } else {
          exchange = source.poll(now);
        }
        if (exchange == null) {
          return;
        }
        start(available.pop(), exchange, now);
      }
    }

    private void start(Connection connection, Exchange exchange, long now) {
      exchange.attempts++;
      connection.exchange = exchange;
      connection.deadlineNanos = now + requestTimeoutNanos;
      connection.out = ByteBuffer.wrap(exchange.request);
      connection.parser.reset();
      inFlight++;
      try {
        if (connection.channel == null) {
          open(connection);
        } else {
          write(connection);
        }
      } catch (IOException e) {
        fail(connection, kindOf(e), now);
      }
    }

    private void open(Connection connection) throws IOException {
      SocketChannel channel = SocketChannel.open();
      connection.channel = channel;
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      connects.increment();
      if (channel.connect(address)) {
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        write(connection);
      } else {
        connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
      }
    }

    private void write(Connection connection) throws IOException {
      connection.channel.write(connection.out);
      // OP_READ stays on for the connection's life (it also notices a close while idle); OP_WRITE
      // only while a request is half written, so a normal exchange changes no interest set.
      int interest =
          connection.out.hasRemaining()
              ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
              : SelectionKey.OP_READ;
      if (connection.key.interestOps() != interest) {
        connection.key.interestOps(interest);
      }
    }

    private void onReady(SelectionKey key, long now) {
      Connection connection = (Connection) key.attachment();
      if (!key.isValid()) {
        return;
      }
      try {
        if (key.isConnectable()) {
          connection.channel.finishConnect();
          key.interestOps(SelectionKey.OP_READ);
          write(connection);
          return;
        }
        if (key.isWritable()) {
          write(connection);
        }
        if (key.isReadable()) {
          read(connection, now);
        }
      } catch (IOException e) {
        if (connection.exchange != null) {
          fail(connection, kindOf(e), now);
        } else {
          closeQuietly(connection);
        }
      } catch (HttpResponseParser.MalformedResponseException e) {
        fail(connection, BAD_RESPONSE, now);
      }
    }

    private void read(Connection connection, long now)
        throws IOException, HttpResponseParser.MalformedResponseException {
      while (true) {
        in.clear();
        int read = connection.channel.read(in);
        if (read < 0) {
          onEndOfStream(connection, now);
          return;
        }
        if (read == 0) {
          return;
        }
        in.flip();
        if (connection.exchange == null) {
          // Bytes nobody asked for: the connection's framing is lost.
          errors.count(BAD_RESPONSE);
          closeQuietly(connection);
          return;
        }
        if (connection.parser.feed(in)) {
          boolean leftover = in.hasRemaining();
          complete(connection, now, leftover);
          return;
        }
      }
    }

    private void onEndOfStream(Connection connection, long now) {
      if (connection.exchange == null) {
        // The server closed an idle keep-alive connection: reopen on next use.
        closeQuietly(connection);
        return;
      }
      if (connection.parser.endOfStream()) {
        complete(connection, now, true);
        return;
      }
      fail(
          connection,
          connection.parser.started() ? CLOSED_MID_RESPONSE : CLOSED_BEFORE_RESPONSE,
          now);
    }

    private void complete(Connection connection, long now, boolean close) {
      Exchange exchange = connection.exchange;
      HttpResponseParser response = connection.parser;
      connection.exchange = null;
      inFlight--;
      responses.increment();
      boolean reusable = !close && !response.mustClose();
      if (response.status() == 503 && retryOn503 && exchange.attempts < maxAttempts) {
        errors.count("http_503");
        retryLater(exchange, now, retryAfterNanos(response.retryAfter(), exchange.attempts));
      } else {
        long latency = now - exchange.dueNanos;
        latencies.record(latency);
        try {
          handler.onResponse(exchange, response, latency);
        } catch (RuntimeException e) {
          errors.count("handler_error");
        }
      }
      if (reusable) {
        available.push(connection);
      } else {
        closeQuietly(connection);
        available.add(connection);
      }
    }

    private void fail(Connection connection, String kind, long now) {
      Exchange exchange = connection.exchange;
      closeQuietly(connection);
      if (exchange == null) {
        return;
      }
      connection.exchange = null;
      inFlight--;
      available.add(connection);
      errors.count(kind);
      if (exchange.attempts < maxAttempts) {
        retryLater(exchange, now, backoffNanos(exchange.attempts));
      } else {
        try {
          handler.onFailure(exchange, kind);
        } catch (RuntimeException e) {
          errors.count("handler_error");
        }
      }
    }

    private void retryLater(Exchange exchange, long now, long delayNanos) {
      retries.increment();
      exchange.notBeforeNanos = now + delayNanos;
      backlog.add(exchange);
    }

    private void checkTimeouts(long now) {
      for (Connection connection : all) {
        if (connection.exchange != null && now - connection.deadlineNanos > 0) {
          fail(connection, TIMEOUT, now);
        }
      }
    }

    private void closeQuietly(Connection connection) {
      if (connection.channel != null) {
        try {
          connection.channel.close();
        } catch (IOException e) {
          // Closing a socket that is already broken: nothing left to do.
        }
      }
      connection.channel = null;
      connection.key = null;
    }
  }

  static long backoffNanos(int attempts) {
    return Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(20, attempts - 1));
  }

  static long retryAfterNanos(String retryAfter, int attempts) {
    if (retryAfter != null) {
      try {
        long seconds = Long.parseLong(retryAfter.trim());
        return Math.min(MAX_RETRY_AFTER_NANOS, TimeUnit.SECONDS.toNanos(Math.max(0, seconds)));
      } catch (NumberFormatException e) {
        // An HTTP date: fall back to the backoff.
      }
    }
    return backoffNanos(attempts);
  }
}
