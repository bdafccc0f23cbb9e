package dev.orderly.api;

/**
 * A request body is larger than {@link BodySizeLimitFilter#MAX_BODY_BYTES}; answered as 413. It is
 * unchecked so that it passes through the JSON parser unwrapped when a chunked body is cut short.
 */
final class PayloadTooLargeException extends RuntimeException {

  PayloadTooLargeException(long limit) {
    super("the request body is larger than " + limit + " bytes", null, false, false);
  }
}
