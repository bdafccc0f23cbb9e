package dev.orderly.api;

import dev.orderly.core.OrderClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness for load balancers and orchestrators. Thread-safe.
 *
 * <p>Live answers 200 whenever the process serves requests. Ready answers 200 only when the store
 * answers (its statistics can be read) and this node's engine runs; otherwise 503 problem+json
 * naming what is down, so that traffic goes elsewhere.
 */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

  private static final Logger LOG = LoggerFactory.getLogger(HealthResource.class);

  static final String UP = "UP";
  static final String DOWN = "DOWN";

  private final OrderClient client;
  private final BooleanSupplier engineRunning;

  HealthResource(OrderClient client, BooleanSupplier engineRunning) {
    this.client = Objects.requireNonNull(client, "client");
    this.engineRunning = Objects.requireNonNull(engineRunning, "engineRunning");
  }

  @GET
  @Path("live")
  public HealthView live() {
    return new HealthView(UP, Map.of());
  }

  @GET
  @Path("ready")
  public Response ready() {
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put("store", storeAnswers() ? UP : DOWN);
    checks.put("engine", engineRunning.getAsBoolean() ? UP : DOWN);
    if (!checks.containsValue(DOWN)) {
      return Response.ok(new HealthView(UP, checks)).build();
    }
    StringBuilder down = new StringBuilder();
    checks.forEach(
        (name, state) -> {
          if (state.equals(DOWN)) {
            down.append(down.length() == 0 ? "" : ", ").append(name);
          }
        });
    return Problems.response(ProblemType.NOT_READY, "not ready; down: " + down).build();
  }

  private boolean storeAnswers() {
    try {
      client.statistics();
      return true;
    } catch (RuntimeException e) {
      // Readiness reports the failure; the cause belongs in the log, not in the probe's answer.
      LOG.warn("readiness: the store does not answer: {}", e.toString());
      return false;
    }
  }
}
