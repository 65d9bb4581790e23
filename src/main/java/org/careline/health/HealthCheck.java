package org.careline.health;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.careline.send.SendingPause;

/** GET /health: 200 once every route that should run has started, 503 until then (or while stopping). */
public final class HealthCheck {

    private final SendingPause pause;

    public HealthCheck(SendingPause pause) {
        this.pause = pause;
    }

    public void check(Exchange exchange) {
        CamelContext context = exchange.getContext();
        boolean up = context.isStarted();
        StringBuilder routes = new StringBuilder();
        for (Route route : context.getRoutes()) {
            ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
            boolean shouldRun = route.isAutoStartup();
            if (shouldRun && status != ServiceStatus.Started) {
                up = false;
            }
            if (routes.length() > 0) {
                routes.append(',');
            }
            routes.append('"').append(route.getRouteId()).append("\":\"").append(status).append('"');
        }
        boolean paused = pause.paused();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setBody("{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"sending\":\""
                + (paused ? "paused" : "active") + "\",\"routes\":{" + routes + "}}");
    }
}
