package dev.orderly.api;

/** One offending field of a request, as listed in a validation problem: {@code item_ids[2]}. */
record FieldError(String field, String message) {}
