package dev.orderly.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.orderly.core.OrderClient;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.StoreUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.glassfish.jersey.uri.UriComponent;

/**
 * {@code POST /orders} for an HTTP layer that answers plain creates without running JAX-RS: the
 * body is parsed and validated, the order stored and the answer rendered exactly as {@link
 * OrderlyApplication} does it: its resource shares this code, and its exception mappers render the
 * failures. An answer is a status, headers and body bytes. Thread-safe.
 *
 * <pre>{@code
 * OrderCreation creation = new OrderCreation(engine.client());
 * Optional<NewOrder> order = creation.parse(body);
 * if (order.isEmpty()) {
 *   // Not a valid order: the JAX-RS application answers it, with the 400 problem naming the fault.
 * } else {
 *   creation.submit(order.get()).thenAccept(answer -> send(answer.status(), answer.headers(), answer.body()));
 * }
 * }</pre>
 *
 * <p>It covers only what the resource method does: authentication, CORS, content negotiation and
 * the body's media type are the HTTP layer's to check (or to leave to the application).
 */
public final class OrderCreation {

  /** How long a create may wait for its commit before the client is told to come back (503). */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final String ORDERS_PATH = "/orders/";

  private final OrderClient client;
  private final ObjectMapper mapper = JsonMapperProvider.create();
  private final ObjectReader bodyReader = mapper.readerFor(JsonNode.class);
  private final ObjectWriter createdWriter = mapper.writerFor(OrderCreatedView.class);

  /**
   * @param client where orders go
   */
  public OrderCreation(OrderClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * The order that a create request's body asks for, read with the application's JSON settings and
   * validated by the same rules; empty when the body is not a valid order or is over the API's 1
   * MiB limit. The application answers such a body with the problem that names what is wrong.
   */
  public Optional<NewOrder> parse(byte[] body) {
    if (body.length > BodySizeLimitFilter.MAX_BODY_BYTES) {
      return Optional.empty();
    }
    try {
      NewOrder order = OrderRequests.parseCommonShape(mapper, body);
      if (order != null) {
        return Optional.of(order);
      }
    } catch (IOException | RuntimeException e) {
      // Not well-formed: the tree reader below fails the same way.
    }
    try {
      return Optional.of(OrderRequests.parse(bodyReader.readValue(body)));
    } catch (IOException | RuntimeException e) {
      // Jackson's and the validation's exceptions alike, and a number Jackson cannot represent.
      return Optional.empty();
    }
  }

  /**
   * Stores the order and answers as the application does: 201 with {@code Location} for a new
   * order, 200 for the same order sent again, and for a failure (another order with this id, the
   * store unavailable, anything else) the problem that the application's exception mappers give.
   * The future never completes exceptionally.
   */
  public CompletableFuture<Answer> submit(NewOrder order) {
    CompletableFuture<CreateResult> stored;
    try {
      stored = client.submitAsync(order);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failure(e));
    }
    return stored.handle(this::answer);
  }

  private Answer answer(CreateResult result, Throwable failure) {
    try {
      return failure == null ? created(result) : failure(cause(failure));
    } catch (RuntimeException e) {
      // Rendering failed, which only a bug does: answered as the application answers a bug.
      return failure(e);
    }
  }

  /**
   * The answer to a create that was not committed within {@link #TIMEOUT}: 503 with {@code
   * Retry-After}, as the application gives.
   */
  public Answer timedOut() {
    return failure(timeout());
  }

  /**
   * The answer the application gives when {@code error} escapes a request: the problem of the
   * exception mapper that Jersey would choose, the one for the closest type.
   */
  public Answer failure(Throwable error) {
    Response response = ExceptionMappers.toResponse(error);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response.getStringHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    byte[] body = response.hasEntity() ? json(mapper.writer(), response.getEntity()) : new byte[0];
    return new Answer(response.getStatus(), headers, body);
  }

  private Answer created(CreateResult result) {
    byte[] body = json(createdWriter, OrderCreatedView.of(result.order()));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (result.isCreated()) {
      headers.put(HttpHeaders.LOCATION, List.of(location(result.order().orderId())));
    }
    headers.put(HttpHeaders.CONTENT_TYPE, List.of(MediaType.APPLICATION_JSON));
    return new Answer(
        result.isCreated() ? Response.Status.CREATED.getStatusCode() : 200, headers, body);
  }

  /** Records of strings and numbers always serialize; a failure here is a bug. */
  private static byte[] json(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * The order's path, {@code /orders/{id}} with the id encoded as one path segment: what {@code
   * UriBuilder.fromPath("/orders/{id}").build(id)} gives, without building a URI.
   */
  static String location(OrderId orderId) {
    return ORDERS_PATH + UriComponent.encode(orderId.value(), UriComponent.Type.PATH_SEGMENT);
  }

  /** The failure a create that waited {@link #TIMEOUT} for its commit is answered with. */
  static StoreUnavailableException timeout() {
    return new StoreUnavailableException(
        "the store did not commit the order within " + TIMEOUT, null);
  }

  /** The failure itself, not the wrapper an asynchronous stage put around it. */
  static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /**
   * An answer as it goes on the wire: status, headers in the order the application writes them
   * (with {@code Content-Type}; the HTTP layer adds {@code Content-Length}) and body. Immutable.
   */
  public static final class Answer {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    Answer(int status, Map<String, List<String>> headers, byte[] body) {
      this.status = status;
      this.headers = Collections.unmodifiableMap(headers);
      this.body = body;
    }

    /** The HTTP status, such as 201. */
    public int status() {
      return status;
    }

    /** Header names and their values, in order; unmodifiable. */
    public Map<String, List<String>> headers() {
      return headers;
    }

    /** The body (a copy): JSON or problem+json, as {@code Content-Type} says. */
    public byte[] body() {
      return body.clone();
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body.length + " bytes";
    }
  }
}
