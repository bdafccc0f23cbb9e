package dev.orderly.server.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {

  private static final String CONTENT_LENGTH =
      "HTTP/1.1 201 Created\r\n"
          + "Content-Type: application/json\r\n"
          + "Content-Length: 36\r\n"
          + "\r\n"
          + "{\"order_id\":\"11\",\"status\":\"Pending\"}";

  private static final String CHUNKED =
      "HTTP/1.1 200 OK\r\n"
          + "Transfer-Encoding: chunked\r\n"
          + "Content-Type: application/json\r\n"
          + "\r\n"
          + "5;ext=1\r\n"
          + "{\"sta\r\n"
          + "11\r\n"
          + "tus\":\"Completed\"}\r\n"
          + "0\r\n"
          + "X-Trailer: yes\r\n"
          + "\r\n";

  private final HttpResponseParser parser = new HttpResponseParser();

  @Test
  void readsAContentLengthResponse() throws Exception {
    ByteBuffer buffer = bytes(CONTENT_LENGTH);

    assertThat(parser.feed(buffer)).isTrue();
    assertThat(parser.status()).isEqualTo(201);
    assertThat(parser.bodyText()).isEqualTo("{\"order_id\":\"11\",\"status\":\"Pending\"}");
    assertThat(parser.mustClose()).isFalse();
    assertThat(buffer.hasRemaining()).isFalse();
  }

  @Test
  void readsAChunkedResponseWithExtensionsAndTrailers() throws Exception {
    assertThat(parser.feed(bytes(CHUNKED))).isTrue();

    assertThat(parser.status()).isEqualTo(200);
    assertThat(parser.bodyText()).isEqualTo("{\"status\":\"Completed\"}");
    assertThat(parser.contentLength()).isEqualTo(22);
  }

  @Test
  void readsResponsesSplitAtEveryByte() throws Exception {
    for (String response : new String[] {CONTENT_LENGTH, CHUNKED}) {
      String expectedBody = whole(response);
      for (int split = 1; split < response.length(); split++) {
        parser.reset();
        assertThat(parser.feed(bytes(response.substring(0, split))))
            .as("split %d", split)
            .isFalse();
        assertThat(parser.feed(bytes(response.substring(split)))).as("split %d", split).isTrue();
        assertThat(parser.bodyText()).as("split %d", split).isEqualTo(expectedBody);
      }
    }
  }

  @Test
  void readsAResponseFedOneByteAtATime() throws Exception {
    byte[] all = CHUNKED.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < all.length; i++) {
      boolean done = parser.feed(ByteBuffer.wrap(all, i, 1));
      assertThat(done).isEqualTo(i == all.length - 1);
    }
    assertThat(parser.bodyText()).isEqualTo("{\"status\":\"Completed\"}");
  }

  @Test
  void leavesTheNextResponseOnAKeepAliveConnectionInTheBuffer() throws Exception {
    ByteBuffer buffer = bytes(CONTENT_LENGTH + CHUNKED);

    assertThat(parser.feed(buffer)).isTrue();
    assertThat(parser.status()).isEqualTo(201);
    assertThat(buffer.remaining()).isEqualTo(CHUNKED.length());

    parser.reset();
    assertThat(parser.feed(buffer)).isTrue();
    assertThat(parser.status()).isEqualTo(200);
    assertThat(parser.bodyText()).isEqualTo("{\"status\":\"Completed\"}");
    assertThat(buffer.hasRemaining()).isFalse();
  }

  @Test
  void noticesConnectionCloseAndRetryAfter() throws Exception {
    String response =
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
            + "Content-Length: 2\r\n\r\n{}";

    assertThat(parser.feed(bytes(response))).isTrue();
    assertThat(parser.status()).isEqualTo(503);
    assertThat(parser.retryAfter()).isEqualTo("1");
    assertThat(parser.mustClose()).isTrue();
  }

  @Test
  void anHttp10ResponseClosesTheConnection() throws Exception {
    assertThat(parser.feed(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"))).isTrue();
    assertThat(parser.mustClose()).isTrue();
  }

  @Test
  void aBodyWithoutLengthEndsWhenTheServerCloses() throws Exception {
    assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\n\r\nsome text"))).isFalse();
    assertThat(parser.started()).isTrue();

    assertThat(parser.endOfStream()).isTrue();
    assertThat(parser.bodyText()).isEqualTo("some text");
    assertThat(parser.mustClose()).isTrue();
  }

  @Test
  void aCloseBeforeTheBodyEndsIsNotAResponse() throws Exception {
    assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))).isFalse();

    assertThat(parser.endOfStream()).isFalse();
    assertThat(parser.started()).isTrue();
  }

  @Test
  void noBytesAtAllIsNotStarted() {
    assertThat(parser.started()).isFalse();
    assertThat(parser.endOfStream()).isFalse();
  }

  @Test
  void statusesWithoutBodyAndInterimResponses() throws Exception {
    ByteBuffer buffer =
        bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n");

    assertThat(parser.feed(buffer)).isTrue();
    assertThat(parser.status()).isEqualTo(204);
    assertThat(parser.bodyText()).isEmpty();
    assertThat(buffer.hasRemaining()).isTrue();
  }

  @Test
  void transferEncodingWinsOverContentLength() throws Exception {
    String response =
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "2\r\nok\r\n0\r\n\r\n";

    assertThat(parser.feed(bytes(response))).isTrue();
    assertThat(parser.bodyText()).isEqualTo("ok");
  }

  @Test
  void malformedResponsesAreRefused() {
    assertMalformed("HTTP/2 200\r\n\r\n", "bad status line");
    assertMalformed("HTTP/1.1 2x0 OK\r\n\r\n", "bad status code");
    assertMalformed("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "bad header line");
    assertMalformed("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length");
    assertMalformed(
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "bad Content-Length");
    assertMalformed(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size");
    assertMalformed(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX\r\n", "chunk not followed");
    assertMalformed("HTTP/1.1 200 OK\r\n" + "X: " + "a".repeat(20_000), "line longer");
  }

  private void assertMalformed(String response, String message) {
    parser.reset();
    assertThatThrownBy(() -> parser.feed(bytes(response)))
        .isInstanceOf(HttpResponseParser.MalformedResponseException.class)
        .hasMessageContaining(message);
  }

  private static String whole(String response) throws Exception {
    HttpResponseParser parser = new HttpResponseParser();
    assertThat(parser.feed(bytes(response))).isTrue();
    return parser.bodyText();
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }
}
