package dev.orderly.api;

/** The answer of {@code GET /orders/{id}/status}: {@code {"status":"Completed"}}. */
record OrderStatusView(String status) {}
