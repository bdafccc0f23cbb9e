package dev.orderly.api;

/**
 * Field names as errors show them. A name comes from the client and can be as long as the body; it
 * is echoed only in part. Stateless.
 */
final class FieldNames {

  /** Characters of a client-chosen field name echoed in an error. */
  static final int MAX_SHOWN = 64;

  /** Unknown fields named in one error answer; the rest are refused without being listed. */
  static final int MAX_UNKNOWN_REPORTED = 10;

  private FieldNames() {}

  static String shown(String name) {
    return name.length() <= MAX_SHOWN ? name : name.substring(0, MAX_SHOWN) + "...";
  }
}
