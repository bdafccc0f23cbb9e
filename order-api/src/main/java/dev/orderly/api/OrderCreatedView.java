package dev.orderly.api;

/** The answer to a create: {@code {"order_id":"11","status":"Pending"}}. */
record OrderCreatedView(String orderId, String status) {}
