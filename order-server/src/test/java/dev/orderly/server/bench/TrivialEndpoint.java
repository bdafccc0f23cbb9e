package dev.orderly.server.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

/**
 * The HTTP ceiling for the benchmarks: Grizzly, with the server's worker pool size, answering every
 * request with the body of a created order and doing nothing else. A benchmark baseline, not a
 * test; {@code bench/http-benchmark.sh} runs it. Arguments: port, worker threads.
 */
public final class TrivialEndpoint {

  private static final byte[] CREATED =
      "{\"order_id\":\"11\",\"status\":\"Pending\"}".getBytes(StandardCharsets.UTF_8);

  private TrivialEndpoint() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    HttpServer server = new HttpServer();
    NetworkListener listener = new NetworkListener("trivial", "127.0.0.1", port);
    listener
        .getTransport()
        .setWorkerThreadPoolConfig(
            ThreadPoolConfig.defaultConfig().setCorePoolSize(threads).setMaxPoolSize(threads));
    // As many requests per connection as the load tool sends: no reconnect tax in the ceiling.
    listener.getKeepAlive().setMaxRequestsCount(-1);
    server.addListener(listener);
    server
        .getServerConfiguration()
        .addHttpHandler(
            new HttpHandler() {
              @Override
              public void service(Request request, Response response) throws Exception {
                // Read the body, as the real endpoint must.
                request.getInputStream().readAllBytes();
                response.setStatus(201);
                response.setContentType("application/json");
                response.setContentLength(CREATED.length);
                response.getOutputStream().write(CREATED);
              }
            },
            "/");
    server.start();
    System.out.println("trivial endpoint listening on http://127.0.0.1:" + port + "/");
    new CountDownLatch(1).await();
  }
}
