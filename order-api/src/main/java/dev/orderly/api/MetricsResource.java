package dev.orderly.api;

import dev.orderly.core.OrderClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Objects;

/** The seed's metrics: over all orders, and per order. Thread-safe. */
@Path("metrics")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsResource {

  private final OrderClient client;

  MetricsResource(OrderClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Counts per status and mean times, exact, from the store's statistics. */
  @GET
  public MetricsView metrics() {
    return MetricsView.of(client.statistics());
  }

  /** One order's times. */
  @GET
  @Path("{id}")
  public OrderMetricsView orderMetrics(@PathParam("id") String id) {
    return OrderMetricsView.of(OrderResource.find(client, id));
  }
}
