package dev.orderly.api;

import dev.orderly.core.order.IllegalStatusTransitionException;
import dev.orderly.core.order.InvalidOrderException;
import dev.orderly.core.order.OrderConflictException;
import dev.orderly.core.order.OrderNotFoundException;
import dev.orderly.core.order.Violation;
import dev.orderly.core.store.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mappers of the domain's and the API's own exceptions to problem+json answers. Each is
 * stateless and thread-safe.
 */
final class ExceptionMappers {

  /** How long a client should wait before retrying when the store is unavailable. */
  static final int RETRY_AFTER_SECONDS = 1;

  /** How many field errors the detail text spells out; the errors list holds them all. */
  private static final int DESCRIBED_ERRORS = 5;

  /** The domain's field names and the names clients send and see. */
  private static final Map<String, String> WIRE_NAMES =
      Map.of(
          "orderId", "order_id",
          "userId", "user_id",
          "itemIds", "item_ids",
          "totalAmount", "total_amount");

  /** Each mapper by the exception type it maps, for {@link #toResponse(Throwable)}. */
  private static final Map<Class<?>, ExceptionMapper<Throwable>> BY_TYPE = byType(all());

  private ExceptionMappers() {}

  /** Every mapper, for registration. */
  static List<Object> all() {
    return List.of(
        new InvalidOrderMapper(),
        new InvalidRequestMapper(),
        new OrderNotFoundMapper(),
        new OrderConflictMapper(),
        new IllegalTransitionMapper(),
        new StoreUnavailableMapper(),
        new PayloadTooLargeMapper(),
        new WebApplicationExceptionMapper(),
        new JsonProblemMapper.Processing(),
        new JsonProblemMapper.Parse(),
        new JsonProblemMapper.StreamRead(),
        new JsonProblemMapper.Mismatch(),
        new JsonProblemMapper.UnknownProperty(),
        new JsonProblemMapper.Constraints(),
        new NumberOutOfRangeMapper(),
        new UnreadableBodyMapper(),
        new UnexpectedExceptionMapper());
  }

  /**
   * The answer to {@code error} outside Jersey, from the mapper Jersey would choose: the one whose
   * type is the nearest superclass of the error's (the mapper of {@code Throwable} at the latest).
   */
  static Response toResponse(Throwable error) {
    for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
      ExceptionMapper<Throwable> mapper = BY_TYPE.get(type);
      if (mapper != null) {
        return mapper.toResponse(error);
      }
    }
    throw new IllegalStateException("no mapper for Throwable");
  }

  @SuppressWarnings("unchecked")
  private static Map<Class<?>, ExceptionMapper<Throwable>> byType(List<Object> mappers) {
    Map<Class<?>, ExceptionMapper<Throwable>> byType = new HashMap<>();
    for (Object mapper : mappers) {
      byType.put(mappedType(mapper.getClass()), (ExceptionMapper<Throwable>) mapper);
    }
    return Map.copyOf(byType);
  }

  /**
   * The {@code E} of a mapper class, declared on the class itself ({@code implements
   * ExceptionMapper<E>}) or on its generic superclass ({@code extends JsonProblemMapper<E>}).
   */
  static Class<?> mappedType(Class<?> mapperClass) {
    for (Class<?> type = mapperClass; type != null; type = type.getSuperclass()) {
      List<Type> declared = new ArrayList<>(List.of(type.getGenericInterfaces()));
      declared.add(type.getGenericSuperclass());
      for (Type candidate : declared) {
        if (candidate instanceof ParameterizedType parameterized
            && parameterized.getRawType() instanceof Class<?> raw
            && ExceptionMapper.class.isAssignableFrom(raw)
            && parameterized.getActualTypeArguments()[0] instanceof Class<?> mapped) {
          return mapped;
        }
      }
    }
    throw new IllegalArgumentException(mapperClass + " declares no exception type");
  }

  /** The wire name of a domain field: {@code itemIds[3]} becomes {@code item_ids[3]}. */
  static String wireName(String field) {
    int bracket = field.indexOf('[');
    String head = bracket < 0 ? field : field.substring(0, bracket);
    String tail = bracket < 0 ? "" : field.substring(bracket);
    return WIRE_NAMES.getOrDefault(head, head) + tail;
  }

  static List<FieldError> fieldErrors(List<Violation> violations) {
    return violations.stream()
        .map(violation -> new FieldError(wireName(violation.field()), violation.message()))
        .toList();
  }

  static final class InvalidOrderMapper implements ExceptionMapper<InvalidOrderException> {
    @Override
    public Response toResponse(InvalidOrderException e) {
      List<FieldError> errors = fieldErrors(e.violations());
      return Problems.response(
              ProblemType.INVALID_REQUEST, "the order is invalid: " + describe(errors), errors)
          .build();
    }
  }

  static final class InvalidRequestMapper implements ExceptionMapper<InvalidRequestException> {
    @Override
    public Response toResponse(InvalidRequestException e) {
      return Problems.response(
              ProblemType.INVALID_REQUEST, e.getMessage(), e.errors().isEmpty() ? null : e.errors())
          .build();
    }
  }

  static final class OrderNotFoundMapper implements ExceptionMapper<OrderNotFoundException> {
    @Override
    public Response toResponse(OrderNotFoundException e) {
      return Problems.response(
              ProblemType.ORDER_NOT_FOUND, "order '" + e.orderId() + "' does not exist")
          .build();
    }
  }

  static final class OrderConflictMapper implements ExceptionMapper<OrderConflictException> {
    @Override
    public Response toResponse(OrderConflictException e) {
      return Problems.response(
              ProblemType.ORDER_CONFLICT,
              "order '" + e.orderId() + "' already exists with different content")
          .build();
    }
  }

  static final class IllegalTransitionMapper
      implements ExceptionMapper<IllegalStatusTransitionException> {
    @Override
    public Response toResponse(IllegalStatusTransitionException e) {
      return Problems.response(
              ProblemType.ILLEGAL_TRANSITION,
              "order '"
                  + e.orderId()
                  + "' is "
                  + e.from().label()
                  + " and cannot move to "
                  + e.to().label())
          .build();
    }
  }

  /** Backpressure: the store is down or its connections are all busy; the client should retry. */
  static final class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {
    private static final Logger LOG = LoggerFactory.getLogger(StoreUnavailableMapper.class);

    @Override
    public Response toResponse(StoreUnavailableException e) {
      // The cause (pool timeout, connection refused) is for operators, not clients.
      LOG.warn("store unavailable, answering 503: {}", e.getMessage());
      return Problems.response(
              ProblemType.SERVICE_UNAVAILABLE,
              "the order store cannot answer now; retry after "
                  + RETRY_AFTER_SECONDS
                  + " second(s)")
          .header("Retry-After", RETRY_AFTER_SECONDS)
          .build();
    }
  }

  static final class PayloadTooLargeMapper implements ExceptionMapper<PayloadTooLargeException> {
    @Override
    public Response toResponse(PayloadTooLargeException e) {
      return Problems.response(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage()).build();
    }
  }

  /**
   * Jackson lets a {@link NumberFormatException} escape for a number it cannot represent at all
   * ({@code 1e9999999999}: the exponent overflows). Raised while parsing JSON it is the client's
   * fault (400); raised anywhere else it is a bug of ours (500).
   */
  static final class NumberOutOfRangeMapper implements ExceptionMapper<NumberFormatException> {
    private static final String JACKSON = "com.fasterxml.jackson.";

    @Override
    public Response toResponse(NumberFormatException e) {
      for (StackTraceElement frame : e.getStackTrace()) {
        if (frame.getClassName().startsWith(JACKSON)) {
          return Problems.response(
                  ProblemType.MALFORMED_JSON,
                  "the request body holds a number that is out of any supported range")
              .build();
        }
      }
      return new UnexpectedExceptionMapper().toResponse(e);
    }
  }

  /**
   * A request body that could not be read to its end: the client closed the connection or stopped
   * sending before the length it announced. The client's doing, not a fault of ours: 400, logged at
   * debug. Jackson's exceptions, also {@link IOException}s, have mappers of their own, and the
   * resources wrap the failures of their own reading ({@link java.io.UncheckedIOException}), so a
   * plain one here is the body's.
   */
  static final class UnreadableBodyMapper implements ExceptionMapper<IOException> {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadableBodyMapper.class);

    @Override
    public Response toResponse(IOException e) {
      LOG.debug("could not read a request body: {}", e.toString());
      return Problems.response(
              ProblemType.INVALID_REQUEST,
              "the request body could not be read to its end",
              List.of(
                  new FieldError(
                      "body",
                      "ended before its announced length: the connection closed or stalled")))
          .build();
    }
  }

  /**
   * Anything unforeseen: logged with its stack trace under a random id; the client sees only the
   * id, never a class name or message.
   */
  static final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
      String errorId = UUID.randomUUID().toString();
      LOG.error("unexpected error {}", errorId, e);
      Problem problem = HttpProblem.internalErrorProblem(errorId);
      return Response.status(problem.status()).type(Problems.PROBLEM_JSON).entity(problem).build();
    }
  }

  private static String describe(List<FieldError> errors) {
    StringBuilder text = new StringBuilder();
    for (FieldError error : errors.subList(0, Math.min(errors.size(), DESCRIBED_ERRORS))) {
      if (text.length() > 0) {
        text.append("; ");
      }
      text.append(error.field()).append(' ').append(error.message());
    }
    if (errors.size() > DESCRIBED_ERRORS) {
      text.append("; and ").append(errors.size() - DESCRIBED_ERRORS).append(" more");
    }
    return text.toString();
  }
}
