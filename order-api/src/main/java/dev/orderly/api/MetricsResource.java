package dev.orderly.api;

import dev.orderly.core.OrderClient;
import dev.orderly.core.metrics.NodeMetrics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The seed's metrics, over all orders and per order, and the same figures for Prometheus: {@code
 * GET /metrics} answers JSON unless the request's {@code Accept} header prefers the Prometheus text
 * format or OpenMetrics, as Prometheus's scraper does. Thread-safe.
 */
@Path("metrics")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsResource {

  /** The Prometheus text exposition format, version 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** OpenMetrics 1.0.0. */
  static final String OPENMETRICS_TEXT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static final String TEXT_PLAIN = "text/plain";
  private static final String OPENMETRICS = "application/openmetrics-text";

  private final OrderClient client;
  private final Supplier<NodeMetrics> nodeMetrics;
  private final Function<String, String> scrape;

  /**
   * @param nodeMetrics this node's engine figures, or null on a node without an engine
   * @param scrape writes a metrics registry in the content type it is given ({@link
   *     #PROMETHEUS_TEXT} or {@link #OPENMETRICS_TEXT}), or null to answer JSON only
   */
  MetricsResource(
      OrderClient client, Supplier<NodeMetrics> nodeMetrics, Function<String, String> scrape) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeMetrics = nodeMetrics;
    this.scrape = scrape;
  }

  /**
   * Counts per status, mean times, the Pending backlog and this node's figures as JSON; or the
   * metrics registry in the Prometheus text format or OpenMetrics when the {@code Accept} header
   * ranks one of those above JSON.
   */
  @GET
  @Produces({MediaType.APPLICATION_JSON, TEXT_PLAIN, OPENMETRICS})
  public Response metrics(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
    String format = scrape == null ? null : textFormat(accept);
    if (format != null) {
      return Response.ok(scrape.apply(format), format).build();
    }
    MetricsView view =
        MetricsView.of(
            client.statistics(),
            client.pendingBacklog(),
            nodeMetrics == null ? null : nodeMetrics.get());
    return Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** One order's times. */
  @GET
  @Path("{id}")
  public OrderMetricsView orderMetrics(@PathParam("id") String id) {
    return OrderMetricsView.of(OrderResource.find(client, id));
  }

  /**
   * The text format that {@code accept} ranks above JSON, or null for JSON. Only an explicit {@code
   * text/plain} or {@code application/openmetrics-text} counts for the text formats, while JSON
   * also gets the quality of {@code application/*} and {@code *}{@code /*}: so curl's {@code *}
   * {@code /*} and a browser's {@code text/html,...,*}{@code /*;q=0.8} get JSON, and a tie goes to
   * JSON too.
   */
  static String textFormat(String accept) {
    if (accept == null || accept.isBlank()) {
      return null;
    }
    double json = 0;
    double plain = 0;
    double openMetrics = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double quality = quality(parts);
      switch (type) {
        case MediaType.APPLICATION_JSON, "application/*", MediaType.WILDCARD ->
            json = Math.max(json, quality);
        case TEXT_PLAIN -> plain = Math.max(plain, quality);
        case OPENMETRICS -> openMetrics = Math.max(openMetrics, quality);
        default -> {
          // Any other type says nothing about these three.
        }
      }
    }
    if (openMetrics > json && openMetrics >= plain) {
      return OPENMETRICS_TEXT;
    }
    return plain > json ? PROMETHEUS_TEXT : null;
  }

  private static double quality(String[] parameters) {
    for (int i = 1; i < parameters.length; i++) {
      String parameter = parameters[i].trim();
      if (parameter.startsWith("q=")) {
        try {
          double quality = Double.parseDouble(parameter.substring(2).trim());
          return quality >= 0 && quality <= 1 ? quality : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
