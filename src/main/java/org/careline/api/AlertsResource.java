package org.careline.api;

import org.careline.alerts.AlertAck;
import org.careline.alerts.AlertDesk;
import org.careline.model.Role;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alerts in the console until someone acknowledges them: analysts and admins see all; staff see those of their
 * sites (an emergency, an SLA breach) and the engine's own.
 */
final class AlertsResource {

    private static final Set<Role> WATCHERS = Set.of(Role.STAFF, Role.ANALYST, Role.ADMIN);

    private final AlertDesk desk;
    private final ApiAudit audit;

    AlertsResource(AlertDesk desk, ApiAudit audit) {
        this.desk = desk;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/alerts", WATCHERS, "alerts of the caller's sites, newest first (?open=true: "
                        + "not yet acknowledged), with their deliveries", call -> ApiAnswer.ok(desk.list(
                        call.caller().sites(), "true".equals(call.queryValue("open")), AlertDesk.MAX_LIMIT))),
                new Endpoint("POST", "/alerts/{id}/ack", WATCHERS, "acknowledge an alert (409 when someone already "
                        + "has)", this::ack));
    }

    private ApiAnswer ack(ApiCall call) {
        long id = call.pathId("id");
        AlertAck o = desk.ack(id, call.caller().name(), call.caller().sites(), call.now());
        audit.record(call, "alert_ack", null, "alert:" + id, null, o instanceof AlertAck.Acked ? "ok" : "refused",
                o.getClass().getSimpleName());
        if (o instanceof AlertAck.Acked a) {
            return ApiAnswer.ok(a);
        }
        if (o instanceof AlertAck.AlreadyAcked a) {
            return ApiAnswer.error(409, "acknowledged by " + a.by() + " at " + a.at());
        }
        return ApiAnswer.error(404, "no such alert");
    }
}
