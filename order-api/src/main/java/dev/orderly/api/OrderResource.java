package dev.orderly.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.core.OrderClient;
import dev.orderly.core.order.InvalidOrderException;
import dev.orderly.core.order.NewOrder;
import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderNotFoundException;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.store.CreateResult;
import dev.orderly.core.store.OrderCursor;
import dev.orderly.core.store.OrderQuery;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The orders: create (one or a batch), read, list, cancel and retry. Errors are thrown and turned
 * into problem+json by the mappers. Thread-safe: it holds only the thread-safe client.
 */
@Path("orders")
@Produces(MediaType.APPLICATION_JSON)
public final class OrderResource {

  /** The most orders one batch request may carry. */
  static final int MAX_BATCH_SIZE = 1_000;

  private final OrderClient client;

  OrderResource(OrderClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Creates an order: 201 with its Location when new, 200 when the same order was already sent, 409
   * when the id belongs to another order.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public void create(JsonNode body, @Suspended AsyncResponse response) {
    NewOrder order = OrderRequests.parse(body);
    // The request thread goes back to Grizzly while the store commits: creates that wait together
    // share one group commit, however few the HTTP threads.
    response.setTimeout(OrderCreation.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    response.setTimeoutHandler(timedOut -> timedOut.resume(OrderCreation.timeout()));
    client
        .submitAsync(order)
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                response.resume(OrderCreation.cause(failure));
              } else {
                response.resume(created(result));
              }
            });
  }

  private static Response created(CreateResult result) {
    OrderCreatedView view = OrderCreatedView.of(result.order());
    if (result.isCreated()) {
      return Response.status(Response.Status.CREATED)
          .header(HttpHeaders.LOCATION, OrderCreation.location(result.order().orderId()))
          .entity(view)
          .build();
    }
    return Response.ok(view).build();
  }

  /** Creates up to {@value #MAX_BATCH_SIZE} orders; one result per order, always 200. */
  @POST
  @Path("batch")
  @Consumes(MediaType.APPLICATION_JSON)
  public BatchView createBatch(JsonNode body) {
    JsonNode orders = batchOrders(body);
    List<BatchView.Result> results = new ArrayList<>(orders.size());
    List<NewOrder> valid = new ArrayList<>(orders.size());
    List<Integer> validIndexes = new ArrayList<>(orders.size());
    for (int i = 0; i < orders.size(); i++) {
      try {
        valid.add(OrderRequests.parse(orders.get(i)));
        validIndexes.add(i);
        results.add(null);
      } catch (InvalidOrderException e) {
        results.add(BatchView.Result.invalid(i, ExceptionMappers.fieldErrors(e.violations())));
      } catch (InvalidRequestException e) {
        results.add(BatchView.Result.invalid(i, e.errors()));
      }
    }
    List<CreateResult> stored = valid.isEmpty() ? List.of() : client.submitAll(valid);
    for (int position = 0; position < stored.size(); position++) {
      CreateResult result = stored.get(position);
      int index = validIndexes.get(position);
      results.set(
          index,
          BatchView.Result.stored(
              index,
              outcome(result.outcome()),
              result.order().orderId().value(),
              result.order().status().label()));
    }
    return BatchView.of(results);
  }

  private static JsonNode batchOrders(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException(
          "the request body must be a JSON object with an 'orders' array",
          List.of(new FieldError("body", "must be a JSON object")));
    }
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("orders")) {
                throw new InvalidRequestException(FieldNames.shown(name), "is not a known field");
              }
            });
    JsonNode orders = body.get("orders");
    if (orders == null || !orders.isArray()) {
      throw new InvalidRequestException("orders", "is required and must be an array of orders");
    }
    if (orders.isEmpty() || orders.size() > MAX_BATCH_SIZE) {
      throw new InvalidRequestException(
          "orders", "must hold 1 to " + MAX_BATCH_SIZE + " orders, held " + orders.size());
    }
    return orders;
  }

  private static String outcome(CreateResult.Outcome outcome) {
    return switch (outcome) {
      case CREATED -> BatchView.CREATED;
      case DUPLICATE -> BatchView.DUPLICATE;
      case CONFLICT -> BatchView.CONFLICT;
    };
  }

  /**
   * Lists orders newest first, a page at a time. Every invalid parameter is named in one answer, as
   * every invalid field of a body is.
   */
  @GET
  public OrderPageView list(
      @QueryParam("status") String status,
      @QueryParam("user_id") String userId,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    List<FieldError> errors = new ArrayList<>();
    OrderQuery query = OrderQuery.all();
    if (status != null) {
      OrderStatus parsed = parseStatus(status, errors);
      if (parsed != null) {
        query = query.withStatus(parsed);
      }
    }
    if (userId != null) {
      if (userId.isBlank()
          || userId.length() > NewOrder.MAX_ID_LENGTH
          || OrderRequests.hasUnsafeCharacters(userId)) {
        errors.add(
            new FieldError(
                "user_id",
                "must be 1 to "
                    + NewOrder.MAX_ID_LENGTH
                    + " non-blank characters, without control characters"));
      } else {
        query = query.withUserId(userId);
      }
    }
    Integer pageSize = limit(limit, errors);
    if (pageSize != null) {
      query = query.withLimit(pageSize);
    }
    if (cursor != null) {
      OrderCursor position = cursor(cursor, errors);
      if (position != null) {
        query = query.after(position);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(describe(errors), errors);
    }
    return OrderPageView.of(client.list(query));
  }

  /** The detail of a query problem: {@code invalid limit: must be ...; invalid status: ...}. */
  private static String describe(List<FieldError> errors) {
    StringBuilder text = new StringBuilder();
    for (FieldError error : errors) {
      if (text.length() > 0) {
        text.append("; ");
      }
      text.append("invalid ").append(error.field()).append(": ").append(error.message());
    }
    return text.toString();
  }

  private static Integer limit(String text, List<FieldError> errors) {
    if (text == null) {
      return OrderQuery.DEFAULT_LIMIT;
    }
    String rule = "must be an integer from 1 to " + OrderQuery.MAX_LIMIT;
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= OrderQuery.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below with the range
    }
    errors.add(new FieldError("limit", rule));
    return null;
  }

  private static OrderStatus parseStatus(String text, List<FieldError> errors) {
    try {
      return OrderStatus.fromLabel(text);
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError(
              "status", "must be one of Pending, Processing, Completed, Failed, Cancelled"));
      return null;
    }
  }

  private static OrderCursor cursor(String text, List<FieldError> errors) {
    try {
      return OrderCursor.decode(text);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("cursor", "is not a cursor this server gave out"));
      return null;
    }
  }

  /** The whole order. */
  @GET
  @Path("{id}")
  public OrderView get(@PathParam("id") String id) {
    return OrderView.of(find(client, id));
  }

  /** The seed's status view: {@code {"status":"Completed"}}. */
  @GET
  @Path("{id}/status")
  public OrderStatusView status(@PathParam("id") String id) {
    return new OrderStatusView(find(client, id).status().label());
  }

  /** Cancels a Pending order; 409 in any other status. */
  @POST
  @Path("{id}/cancel")
  public OrderView cancel(@PathParam("id") String id) {
    return OrderView.of(client.cancel(orderId(id)));
  }

  /** Sends a Failed order back to Pending; 409 in any other status. */
  @POST
  @Path("{id}/retry")
  public OrderView retry(@PathParam("id") String id) {
    return OrderView.of(client.retry(orderId(id)));
  }

  static Order find(OrderClient client, String id) {
    OrderId orderId = orderId(id);
    return client.find(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
  }

  /** The id in a path; one that cannot be an id is a 400 naming it. */
  static OrderId orderId(String id) {
    if (OrderRequests.hasUnsafeCharacters(id)) {
      throw new InvalidRequestException("order_id", OrderRequests.UNSAFE_TEXT);
    }
    return OrderId.of(id);
  }
}
