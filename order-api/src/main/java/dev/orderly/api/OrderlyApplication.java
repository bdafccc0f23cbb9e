package dev.orderly.api;

import dev.orderly.core.OrderClient;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application of Orderly's HTTP API: the order, metrics and health resources, JSON
 * mapping and the problem+json error mappers, ready for any Jersey container. Thread-safe once
 * built: its resources hold no per-request state.
 *
 * <pre>{@code
 * ResourceConfig app = new OrderlyApplication(engine.client(), engine::isRunning);
 * GrizzlyHttpServerFactory.createHttpServer(URI.create("http://0.0.0.0:8080/"), app);
 * }</pre>
 */
public final class OrderlyApplication extends ResourceConfig {

  /**
   * @param client where orders go and are read
   * @param engineRunning whether this node's engine runs (false for a client-only node or a stopped
   *     engine); readiness uses it
   */
  public OrderlyApplication(OrderClient client, BooleanSupplier engineRunning) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(engineRunning, "engineRunning");
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
  }
}
