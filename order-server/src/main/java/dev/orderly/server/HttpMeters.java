package dev.orderly.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times each HTTP request that Jersey handles, as {@code orderly_http_requests_seconds} with the
 * tags {@code method}, {@code route} (the matched template, such as {@code /orders/{id}}, so that
 * ids do not multiply the series) and {@code status}. Micrometer has no Jersey 3 binder, hence this
 * listener. Thread-safe.
 */
final class HttpMeters implements ApplicationEventListener {

  /** The route of a request that matched no resource, so that unknown paths share one series. */
  static final String UNMATCHED = "UNMATCHED";

  private final MeterRegistry registry;

  HttpMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onEvent(ApplicationEvent event) {
    // Only requests matter.
  }

  @Override
  public RequestEventListener onRequest(RequestEvent requestEvent) {
    long started = System.nanoTime();
    return event -> {
      if (event.getType() == RequestEvent.Type.FINISHED) {
        record(event, System.nanoTime() - started);
      }
    };
  }

  private void record(RequestEvent event, long nanos) {
    ContainerResponse response = event.getContainerResponse();
    int status = response == null ? 500 : response.getStatus();
    timer(event.getContainerRequest().getMethod(), route(event.getUriInfo()), status)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The timer of one series; requests answered outside Jersey ({@link OrderCreateFastPath}) record
   * into the same series.
   */
  Timer timer(String method, String route, int status) {
    return Timer.builder("orderly.http.requests")
        .description("HTTP requests by route, method and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry);
  }

  /** The matched templates joined, outermost first: {@code /orders/{id}/status}. */
  static String route(ExtendedUriInfo uriInfo) {
    if (uriInfo == null || uriInfo.getMatchedResourceMethod() == null) {
      return UNMATCHED;
    }
    List<UriTemplate> templates = new ArrayList<>(uriInfo.getMatchedTemplates());
    Collections.reverse(templates);
    StringBuilder route = new StringBuilder();
    for (UriTemplate template : templates) {
      String part = template.getTemplate();
      if (!part.startsWith("/")) {
        route.append('/');
      }
      route.append(part);
    }
    String joined = route.toString().replaceAll("/{2,}", "/");
    if (joined.length() > 1 && joined.endsWith("/")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    return joined.isEmpty() ? "/" : joined;
  }
}
