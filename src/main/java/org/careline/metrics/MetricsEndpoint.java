package org.careline.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.careline.access.Authenticator;
import org.careline.access.Caller;
import org.careline.model.AuditEntry;
import org.careline.routes.HttpReply;
import org.careline.store.AuditLog;
import org.careline.store.Database;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code GET /metrics} on the HTTP port (routes/metrics.yaml, bean {@value #BEAN}): the Prometheus text to a bearer
 * token of role analyst or admin ({@link MetricsAccess}); 401 without one, 403 for other roles (recorded in the
 * audit trail, as the API records its refusals). Scrapes that succeed are not audited: they carry no patient's data
 * and come every few seconds.
 */
public final class MetricsEndpoint {

    public static final String BEAN = "metricsEndpoint";

    private final EngineMetrics metrics;
    private final Authenticator authenticator;
    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    MetricsEndpoint(EngineMetrics metrics, Authenticator authenticator, Database db, AuditLog audit, Clock clock) {
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    public void scrape(Exchange exchange) {
        Message in = exchange.getMessage();
        MetricsAccess access = MetricsAccess.decide(bearer(HttpReply.requestHeader(in, "Authorization"))
                .flatMap(authenticator::byToken));
        if (access instanceof MetricsAccess.Allowed) {
            HttpReply.answer(exchange, 200, EngineMetrics.CONTENT_TYPE, metrics.scrape());
            exchange.getMessage().setHeader("Cache-Control", "no-store");
        } else if (access instanceof MetricsAccess.Forbidden f) {
            Caller who = f.caller();
            db.inTransaction(c -> {
                audit.record(c, new AuditEntry(who.name(), "denied", null, "GET /metrics", null, "denied",
                        "roles=" + who.user().roles(), null), clock.instant());
                return null;
            });
            HttpReply.answer(exchange, 403, "text/plain; charset=utf-8", "your role may not read metrics\n");
        } else {
            HttpReply.answer(exchange, 401, "text/plain; charset=utf-8",
                    "send Authorization: Bearer <API token of an analyst or admin>\n");
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
    }

    /** The token of an "Authorization: Bearer …" header; a cookie or any other scheme counts as none. */
    static Optional<String> bearer(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }
}
