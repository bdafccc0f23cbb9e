package dev.orderly.server;

import dev.orderly.api.HttpProblem;
import java.io.IOException;
import java.util.Optional;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ContentEncoding;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.KeepAlive;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Grizzly's HTTP/1.1 codec, answering the requests it refuses itself with a problem+json body
 * instead of an empty one: a request line, header or chunk it cannot parse, a header section over
 * the limit, an HTTP version other than 1.0 and 1.1; and those {@link HttpRequestScreen} refuses
 * once the headers are parsed. These never reach Grizzly's handlers, Jersey or its mappers, and the
 * connection is closed after the answer. Thread-safe, as the codec it extends.
 */
final class ProblemHttpCodec extends HttpServerFilter {

  /** Which part of the request failed to parse, kept on the request for the answer. */
  private static final String FAULT = ProblemHttpCodec.class.getName() + ".fault";

  /** The screen's refusal, kept on the request for the answer. */
  private static final String REFUSAL = ProblemHttpCodec.class.getName() + ".refusal";

  private enum Fault {
    HEADER,
    BODY
  }

  /**
   * Puts this codec in place of the one Grizzly builds for a listener, with the same settings: the
   * arguments Grizzly's {@code HttpServer} gives it, then what it sets on it.
   */
  static final class Installer implements AddOn {
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
      int index = builder.indexOfType(HttpServerFilter.class);
      HttpServerFilter built = (HttpServerFilter) builder.get(index);
      ProblemHttpCodec codec =
          new ProblemHttpCodec(
              listener.isChunkingEnabled(),
              listener.getMaxHttpHeaderSize() == -1
                  ? DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
                  : listener.getMaxHttpHeaderSize(),
              listener.getKeepAlive(),
              listener.getMaxRequestHeaders(),
              listener.getMaxResponseHeaders());
      for (ContentEncoding encoding : built.getContentEncodings()) {
        codec.addContentEncoding(encoding);
      }
      codec.setAllowPayloadForUndefinedHttpMethods(built.isAllowPayloadForUndefinedHttpMethods());
      codec.setMaxPayloadRemainderToSkip(built.getMaxPayloadRemainderToSkip());
      codec.getMonitoringConfig().addProbes(built.getMonitoringConfig().getProbes());
      builder.set(index, codec);
    }
  }

  private ProblemHttpCodec(
      boolean chunking,
      int maxHeaderSize,
      KeepAlive keepAlive,
      int maxRequestHeaders,
      int maxResponseHeaders) {
    // No delayed executor, as Grizzly's own HttpServer gives its codec none.
    super(chunking, maxHeaderSize, null, keepAlive, null, maxRequestHeaders, maxResponseHeaders);
  }

  /**
   * Grizzly's own checks, then the screen's: a refusal is an error of the headers, which Grizzly
   * answers with {@link #customizeErrorResponse} and then closes the connection unread.
   */
  @Override
  protected boolean onHttpHeaderParsed(HttpHeader header, Buffer buffer, FilterChainContext ctx) {
    if (super.onHttpHeaderParsed(header, buffer, ctx)) {
      return true;
    }
    HttpRequestPacket request = (HttpRequestPacket) header;
    Optional<HttpRequestScreen.Refusal> refusal = HttpRequestScreen.screen(request);
    if (refusal.isEmpty()) {
      return false;
    }
    request.setAttribute(REFUSAL, refusal.get());
    HttpStatus.getHttpStatus(refusal.get().status()).setValues(request.getResponse());
    request.getProcessingState().setKeepAlive(false);
    if (request.getProtocol() != Protocol.HTTP_1_0) {
      // An HTTP/0.9 or HTTP/2.0 request line: the answer is HTTP/1.1 all the same.
      request.setProtocol(Protocol.HTTP_1_1);
    }
    return true;
  }

  /**
   * Ignores {@code Upgrade}, as a server may (RFC 9110, section 7.8): the server speaks HTTP/1.1
   * only. Grizzly's default hands an upgrade request's connection to the new protocol, with no
   * content length and no content type on the answer, so the JDK's HttpClient, which asks every
   * plain-HTTP request at its defaults to upgrade to h2c, waited for ever on creates and got
   * answers without a content type.
   */
  @Override
  protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader header) {
    header.setUpgrade(null);
    header.getHeaders().removeHeader(Header.Upgrade);
  }

  @Override
  protected void onHttpHeaderError(HttpHeader header, FilterChainContext ctx, Throwable error)
      throws IOException {
    mark(header, Fault.HEADER);
    super.onHttpHeaderError(header, ctx, error);
  }

  @Override
  protected void onHttpContentError(HttpHeader header, FilterChainContext ctx, Throwable error)
      throws IOException {
    mark(header, Fault.BODY);
    super.onHttpContentError(header, ctx, error);
  }

  private static void mark(HttpHeader header, Fault fault) {
    if (header instanceof HttpRequestPacket request) {
      request.setAttribute(FAULT, fault);
    }
  }

  private static boolean knowsItsVersion(HttpRequestPacket request) {
    try {
      return request.getProtocol() != Protocol.HTTP_0_9;
    } catch (IllegalStateException unparsable) {
      return false;
    }
  }

  @Override
  protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
    int status = response.getStatus();
    HttpRequestPacket request = response.getRequest();
    Object fault = request == null ? null : request.getAttribute(FAULT);
    Object refusal = request == null ? null : request.getAttribute(REFUSAL);
    byte[] body;
    if (refusal instanceof HttpRequestScreen.Refusal screened) {
      body = screened.body();
    } else if (status == 505) {
      body =
          HttpProblem.json(
              status, "only HTTP/1.0 and HTTP/1.1 are served", "version", "is not supported");
    } else if (fault == Fault.BODY) {
      body =
          HttpProblem.json(
              status,
              "the request body is not valid HTTP/1.1 framing",
              "body",
              "has a malformed chunk or length");
    } else {
      body =
          HttpProblem.json(
              status,
              "the request line or headers are not valid HTTP/1.1, or are too large",
              "headers",
              "could not be parsed within the limits");
    }
    if (request != null && !knowsItsVersion(request)) {
      // A request line cut short leaves HTTP/0.9, whose answers carry no headers at all.
      request.setProtocol(Protocol.HTTP_1_1);
    }
    response.setContentType(HttpProblem.MEDIA_TYPE);
    response.setContentLength(body.length);
    return HttpContent.builder(response)
        .content(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, body))
        .last(true)
        .build();
  }
}
