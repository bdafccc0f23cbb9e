package dev.orderly.server.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A do-nothing HTTP/1.1 server on one NIO thread that answers every request with the same small
 * {@code 201} JSON body: the trivial endpoint against which {@code --self-test} measures the load
 * client's own ceiling. It can also close every n-th connection after answering, or drop every n-th
 * request unanswered, to exercise the client's reconnects and retries. Thread-safe to start and
 * close; the serving runs on its own daemon thread.
 *
 * <pre>{@code
 * try (TrivialHttpServer server = TrivialHttpServer.start(0)) {
 *   ... drive http://127.0.0.1:server.port() ...
 * }
 * }</pre>
 */
final class TrivialHttpServer implements AutoCloseable {

  private static final byte[] BODY =
      "{\"order_id\":\"x\",\"status\":\"Pending\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEEP_ALIVE = response(false);
  private static final byte[] CLOSE = response(true);
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread thread;
  private final int closeEvery;
  private final int dropEvery;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong cpuNanos = new AtomicLong();
  private volatile boolean running = true;

  private TrivialHttpServer(int closeEvery, int dropEvery) throws IOException {
    this.closeEvery = closeEvery;
    this.dropEvery = dropEvery;
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    this.thread = new Thread(this::serve, "orderly-load-trivial-server");
    thread.setDaemon(true);
  }

  /** Starts a server on a free loopback port that keeps every connection open. */
  static TrivialHttpServer start() throws IOException {
    return start(0);
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @param closeEvery answer every n-th request with {@code Connection: close} and close; 0 never
   */
  static TrivialHttpServer start(int closeEvery) throws IOException {
    return start(closeEvery, 0);
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @param closeEvery answer every n-th request with {@code Connection: close} and close; 0 never
   * @param dropEvery close the connection without answering every n-th request; 0 never
   */
  static TrivialHttpServer start(int closeEvery, int dropEvery) throws IOException {
    TrivialHttpServer trivial = new TrivialHttpServer(closeEvery, dropEvery);
    trivial.thread.start();
    return trivial;
  }

  int port() {
    return server.socket().getLocalPort();
  }

  long requests() {
    return requests.get();
  }

  /** The CPU time the serving thread has used, as of its last select. */
  long cpuNanos() {
    return cpuNanos.get();
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] response(boolean close) {
    String head =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
            + BODY.length
            + "\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + BODY.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(BODY, 0, all, headBytes.length, BODY.length);
    return all;
  }

  /** A connection's unparsed input and unsent output. */
  private static final class Peer {
    ByteBuffer in = ByteBuffer.allocate(8 * 1024);
    ByteBuffer out;
    boolean closeAfterWrite;
  }

  private void serve() {
    try {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      boolean measure = threads.isCurrentThreadCpuTimeSupported();
      while (running) {
        if (measure) {
          cpuNanos.set(threads.getCurrentThreadCpuTime());
        }
        selector.select(200);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isAcceptable()) {
              accept();
            } else {
              if (key.isReadable()) {
                onReadable(key);
              }
              if (key.isValid() && key.isWritable()) {
                flush(key);
              }
            }
          } catch (IOException e) {
            key.channel().close();
          }
        }
      }
    } catch (IOException e) {
      // The selector broke: the server stops; the client then sees refused connections.
    } finally {
      try {
        for (SelectionKey key : selector.keys()) {
          key.channel().close();
        }
        selector.close();
        server.close();
      } catch (IOException e) {
        // Shutting down anyway.
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel channel;
    while ((channel = server.accept()) != null) {
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, new Peer());
    }
  }

  private void onReadable(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    Peer peer = (Peer) key.attachment();
    int read = channel.read(peer.in);
    if (read < 0) {
      channel.close();
      return;
    }
    int answers = 0;
    boolean close = false;
    while (!close) {
      int length = requestLength(peer.in);
      if (length <= 0) {
        if (length < 0 || !peer.in.hasRemaining() && peer.in.capacity() >= MAX_HEAD) {
          channel.close();
          return;
        }
        if (!peer.in.hasRemaining()) {
          ByteBuffer bigger = ByteBuffer.allocate(peer.in.capacity() * 2);
          peer.in.flip();
          bigger.put(peer.in);
          peer.in = bigger;
        }
        break;
      }
      peer.in.flip();
      peer.in.position(length);
      peer.in.compact();
      long n = requests.incrementAndGet();
      if (dropEvery > 0 && n % dropEvery == 0) {
        channel.close();
        return;
      }
      close = closeEvery > 0 && n % closeEvery == 0;
      answers++;
    }
    if (answers == 0) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate(answers * KEEP_ALIVE.length + CLOSE.length);
    for (int i = 0; i < answers; i++) {
      out.put(close && i == answers - 1 ? CLOSE : KEEP_ALIVE);
    }
    out.flip();
    peer.out = out;
    peer.closeAfterWrite = close;
    flush(key);
  }

  private void flush(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    Peer peer = (Peer) key.attachment();
    if (peer.out == null) {
      return;
    }
    channel.write(peer.out);
    if (peer.out.hasRemaining()) {
      key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      return;
    }
    peer.out = null;
    key.interestOps(SelectionKey.OP_READ);
    if (peer.closeAfterWrite) {
      channel.close();
    }
  }

  /**
   * The length of the first whole request in {@code in} (write mode), 0 when it is not complete, or
   * -1 when the head is not HTTP.
   */
  private static int requestLength(ByteBuffer in) {
    byte[] bytes = in.array();
    int end = in.position();
    for (int i = 3; i < end; i++) {
      if (bytes[i] == '\n'
          && bytes[i - 1] == '\r'
          && bytes[i - 2] == '\n'
          && bytes[i - 3] == '\r') {
        String head = new String(bytes, 0, i + 1, StandardCharsets.US_ASCII);
        int bodyLength = 0;
        for (String line : head.split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0
              && line.substring(0, colon)
                  .trim()
                  .toLowerCase(Locale.ROOT)
                  .equals("content-length")) {
            try {
              bodyLength = Integer.parseInt(line.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
              return -1;
            }
          }
        }
        int total = i + 1 + bodyLength;
        return total <= end ? total : 0;
      }
    }
    return 0;
  }
}
