package dev.orderly.api;

import dev.orderly.core.OrderClient;
import dev.orderly.core.metrics.NodeMetrics;
import jakarta.ws.rs.Priorities;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application of Orderly's HTTP API: the order, metrics, health, OpenAPI and dashboard
 * resources, JSON mapping, the 1 MiB body limit and the mappers that answer every error as {@code
 * application/problem+json}. It holds no server: any Jersey container can run it. Thread-safe once
 * built: its resources hold no per-request state, only the thread-safe client.
 *
 * <pre>{@code
 * ResourceConfig app = new OrderlyApplication(engine.client(), engine::isRunning);
 * GrizzlyHttpServerFactory.createHttpServer(URI.create("http://0.0.0.0:8080/"), app);
 * }</pre>
 *
 * <p>Optional protections, off by default, are switched on before the application is deployed:
 * {@link #requireBearerToken(String)} and {@link #allowCorsOrigins(List)}.
 */
public final class OrderlyApplication extends ResourceConfig {

  /**
   * @param client where orders go and are read
   * @param engineRunning whether this node's engine runs (false for a client-only node or a stopped
   *     engine); readiness uses it
   */
  public OrderlyApplication(OrderClient client, BooleanSupplier engineRunning) {
    this(client, engineRunning, null, null);
  }

  /**
   * An application that also reports this node's engine figures in {@code GET /metrics}, and
   * answers Prometheus's scraper from a metrics registry.
   *
   * @param client where orders go and are read
   * @param engineRunning whether this node's engine runs; readiness uses it
   * @param nodeMetrics this node's engine figures ({@code engine::nodeMetrics}), or null for a node
   *     without an engine
   * @param prometheusScrape writes the registry in the content type it is given, the Prometheus
   *     text format ({@code text/plain; version=0.0.4; charset=utf-8}) or OpenMetrics ({@code
   *     application/openmetrics-text; version=1.0.0; charset=utf-8}), such as Micrometer's {@code
   *     prometheusRegistry::scrape}; or null to answer {@code GET /metrics} with JSON only
   */
  public OrderlyApplication(
      OrderClient client,
      BooleanSupplier engineRunning,
      Supplier<NodeMetrics> nodeMetrics,
      Function<String, String> prometheusScrape) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(engineRunning, "engineRunning");
    setApplicationName("orderly");

    // Jersey's own Jackson mappers answer text/plain with class names; ours replace them.
    register(JacksonFeature.withoutExceptionMappers());
    register(new JsonMapperProvider());
    register(new BodySizeLimitFilter());
    ExceptionMappers.all().forEach(this::register);

    // The resources need the client, so they are built here. Registered as instances, Jersey 3.1
    // logs "does not implement any provider interfaces ... will be ignored" for each on every start
    // (https://github.com/eclipse-ee4j/jersey/issues/3700): it checks instances against resource
    // classes only. Registering the classes, with the instances bound to them, serves the same
    // objects without the warning.
    List<Object> resources =
        List.of(
            new OrderResource(client),
            new MetricsResource(client, nodeMetrics, prometheusScrape),
            new HealthResource(client, engineRunning),
            new OpenApiResource(),
            new DashboardResource());
    register(new ResourceInstances(resources));
    resources.forEach(resource -> register(resource.getClass()));

    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    // Location: /orders/11, as the seed answered, not resolved against the request's host.
    property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
    // In a servlet container, keep our problem+json bodies rather than the container's error pages.
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
  }

  /**
   * Requires {@code Authorization: Bearer <token>} on every request except {@code GET /health/live}
   * and {@code GET /health/ready}; any other request without it, or with another token, is answered
   * 401 with {@code WWW-Authenticate: Bearer}. Call before deployment.
   *
   * @param token the shared secret, not blank
   * @return this application
   */
  public OrderlyApplication requireBearerToken(String token) {
    register(new BearerTokenFilter(token), Priorities.AUTHENTICATION);
    return this;
  }

  /**
   * Lets browser pages from these origins call the API: their preflight requests are answered and
   * their answers carry {@code Access-Control-Allow-Origin}. Nothing is added for other origins,
   * and nothing at all when this is not called. Call before deployment.
   *
   * @param origins allowed origins exactly as browsers send them, such as {@code
   *     https://shop.example.com}; an empty list allows none
   * @return this application
   */
  public OrderlyApplication allowCorsOrigins(List<String> origins) {
    Objects.requireNonNull(origins, "origins");
    if (!origins.isEmpty()) {
      register(new CorsFilter(origins), Priorities.AUTHENTICATION - 100);
    }
    return this;
  }

  /** Binds each resource object to its class, so that Jersey serves it rather than a new one. */
  private static final class ResourceInstances extends AbstractBinder {
    private final List<Object> resources;

    ResourceInstances(List<Object> resources) {
      this.resources = resources;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected void configure() {
      for (Object resource : resources) {
        bind(resource).to((Class) resource.getClass());
      }
    }
  }
}
