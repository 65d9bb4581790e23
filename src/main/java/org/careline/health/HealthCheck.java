package org.careline.health;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.careline.send.SendingPause;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness: UP once every route that should run has started, DOWN until then (or while stopping).
 * {@code GET /health} tells anyone only that ({@code {"status":"UP"}} or DOWN with 503): which parts are configured
 * and running is for signed-in staff, through {@code GET /api/v1/health} ({@link #report()}). Requests from
 * localhost get no more than anyone else, because a reverse proxy on the same machine makes every stranger local.
 */
public final class HealthCheck {

    /**
     * What staff see.
     *
     * @param status  UP or DOWN
     * @param sending active, or paused by an alert (sending-paused)
     * @param routes  each route's id and its state (Started, Stopped…)
     */
    public record HealthReport(String status, String sending, Map<String, String> routes) {
        public boolean up() {
            return status.equals("UP");
        }
    }

    private final SendingPause pause;
    private final Supplier<CamelContext> context;

    public HealthCheck(SendingPause pause, Supplier<CamelContext> context) {
        this.pause = pause;
        this.context = context;
    }

    public HealthReport report() {
        CamelContext camel = context.get();
        boolean up = camel.isStarted();
        Map<String, String> routes = new LinkedHashMap<>();
        for (Route route : camel.getRoutes()) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (route.isAutoStartup() && status != ServiceStatus.Started) {
                up = false;
            }
            routes.put(route.getRouteId(), String.valueOf(status));
        }
        return new HealthReport(up ? "UP" : "DOWN", pause.paused() ? "paused" : "active", routes);
    }

    /** GET /health: the status alone. */
    public void check(Exchange exchange) {
        boolean up = report().up();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setBody(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
}
