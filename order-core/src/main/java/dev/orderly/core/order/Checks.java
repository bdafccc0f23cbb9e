package dev.orderly.core.order;

/** The shared rules of the domain's text fields. */
final class Checks {

  private Checks() {}

  static String identifierProblem(String value, int maxLength) {
    if (value == null) {
      return "is required";
    }
    if (value.isBlank()) {
      return "must not be blank";
    }
    if (value.length() > maxLength) {
      return "must be at most " + maxLength + " characters, was " + value.length();
    }
    return null;
  }
}
