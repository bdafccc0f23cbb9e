package dev.orderly.api;

import java.util.Map;

/** The answer of a passing health check: {@code {"status":"UP","checks":{...}}}. */
record HealthView(String status, Map<String, String> checks) {}
