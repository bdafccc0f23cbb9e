package dev.orderly.api;

/**
 * The kinds of problem the API answers, each with its {@code type} URI, title and status. The URIs
 * are documented in {@code docs/api.md}.
 */
enum ProblemType {
  INVALID_REQUEST("invalid-request", "Invalid request", 400),
  MALFORMED_JSON("malformed-json", "Malformed JSON", 400),
  UNAUTHORIZED("unauthorized", "Unauthorized", 401),
  NOT_FOUND("not-found", "Not found", 404),
  ORDER_NOT_FOUND("order-not-found", "Order not found", 404),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
  NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
  REQUEST_TIMEOUT("request-timeout", "Request timeout", 408),
  ORDER_CONFLICT("order-conflict", "Order conflict", 409),
  ILLEGAL_TRANSITION("illegal-status-transition", "Illegal status transition", 409),
  PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
  INTERNAL_ERROR("internal-error", "Internal server error", 500),
  SERVICE_UNAVAILABLE("service-unavailable", "Service unavailable", 503),
  NOT_READY("not-ready", "Not ready", 503);

  /** Where the kinds of problem are described; the anchors are the slugs. */
  static final String BASE_URI = "https://orderly.dev/problems/";

  private final String slug;
  private final String title;
  private final int status;

  ProblemType(String slug, String title, int status) {
    this.slug = slug;
    this.title = title;
    this.status = status;
  }

  String uri() {
    return BASE_URI + slug;
  }

  String title() {
    return title;
  }

  int status() {
    return status;
  }

  /**
   * The kind for a plain HTTP error with this status (the first listed), or {@code null} when there
   * is none and the problem is {@code about:blank}.
   */
  static ProblemType forStatus(int status) {
    for (ProblemType type : values()) {
      if (type.status == status) {
        return type;
      }
    }
    return null;
  }
}
