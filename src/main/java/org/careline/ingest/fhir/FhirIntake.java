package org.careline.ingest.fhir;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.careline.model.EngineEvents;
import org.careline.model.LogSafe;
import org.careline.routes.HttpReply;
import org.careline.config.FhirSettings;
import org.careline.store.Database;
import org.careline.store.FhirSyncState;
import org.careline.store.FhirWorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * The HTTP side of FHIR notifications (routes/fhir-inbound.yaml): checks the shared secret, parses the request
 * whatever its shape, and stores in fhir_work what must be re-read — committed before the 200, so nothing answered
 * is lost. It never acts on a notification's content: {@link FhirSync} re-reads the current resources, which is
 * what makes duplicates, replays and out-of-order deliveries harmless. Tracks each topic-based subscription's event
 * numbers and queues a catch-up when some were missed.
 */
public final class FhirIntake {

    private static final Logger LOG = LoggerFactory.getLogger(FhirIntake.class);
    /** The resource types Careline acts on; notifications about others are answered 200 and ignored. */
    static final Set<String> TYPES = NotificationParser.ACCEPTED_TYPES;
    private static final String JSON_TYPE = "application/fhir+json";

    private final Database db;
    private final FhirWorkQueue work;
    private final FhirSyncState state;
    private final NotificationParser parser;
    private final FhirSettings settings;
    private final byte[] secretDigest;
    private final Clock clock;
    private final EngineEvents events;

    public FhirIntake(Database db, FhirWorkQueue work, FhirSyncState state, NotificationParser parser,
                      FhirSettings settings, Clock clock) {
        this(db, work, state, parser, settings, clock, EngineEvents.NONE);
    }

    /** @param events told what each notification came to, for operators' metrics */
    public FhirIntake(Database db, FhirWorkQueue work, FhirSyncState state, NotificationParser parser,
                      FhirSettings settings, Clock clock, EngineEvents events) {
        this.events = events;
        this.db = db;
        this.work = work;
        this.state = state;
        this.parser = parser;
        this.settings = settings;
        this.secretDigest = HttpReply.digest(settings.notifySecret());
        this.clock = clock;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = pathBelowFhir(in);
        if (!settings.enabled()) {
            events.fhirNotification(EngineEvents.FhirNotificationOutcome.NOT_CONFIGURED);
            answer(exchange, 503, OperationOutcomes.of("error", "not-supported",
                    "FHIR is not configured on this Careline (CARELINE_FHIR_BASE_URL)"));
            return;
        }
        if (secretDigest != null) {
            if (!HttpReply.sameSecret(HttpReply.requestHeader(in, FhirSettings.SECRET_HEADER), secretDigest)) {
                LOG.warn("FHIR notification refused: missing or wrong {} ({} {})", FhirSettings.SECRET_HEADER,
                        method, path.isEmpty() ? "/" : path);
                events.fhirNotification(EngineEvents.FhirNotificationOutcome.UNAUTHORIZED);
                answer(exchange, 401, OperationOutcomes.of("error", "security",
                        "missing or invalid " + FhirSettings.SECRET_HEADER));
                return;
            }
        }
        byte[] body = in.getBody(byte[].class);
        FhirNotification n;
        try {
            n = parser.parse(method, path, in.getHeader(Exchange.CONTENT_TYPE, String.class),
                    body == null ? new byte[0] : body);
        } catch (FhirInputException e) {
            LOG.warn("FHIR notification refused ({}): {}", e.httpStatus(), LogSafe.of(e.getMessage()));
            events.fhirNotification(EngineEvents.FhirNotificationOutcome.REFUSED);
            answer(exchange, e.httpStatus(), OperationOutcomes.of("error", e.httpStatus() == 400 ? "invalid"
                    : "not-supported", e.getMessage()));
            return;
        }
        // Shared with notifications arriving at the same moment: one commit for all, each 200 after its own.
        int queued = db.inSharedTransaction(c -> store(c, n, clock.instant()));
        LOG.info("FHIR notification {} subscription={} events={} queued={}", n.kind(), LogSafe.of(n.subscription()),
                n.events().size(), queued);
        events.fhirNotification(EngineEvents.FhirNotificationOutcome.ACCEPTED);
        answer(exchange, 200, OperationOutcomes.of("information", "informational", "received"));
    }

    /** Stores what the notification asks for; returns how many pieces of work were queued. */
    private int store(Connection c, FhirNotification n, Instant now) throws SQLException {
        String sub = n.subscription();
        return switch (n.kind()) {
            case RESOURCE_CHANGED, RESOURCE_DELETED -> {
                FhirNotification.Event e = n.events().get(0);
                String key = e.version() == null ? null : e.focus() + "|" + e.version()
                        + (n.kind() == FhirNotification.Kind.RESOURCE_DELETED ? "|deleted" : "");
                yield work.addRead(c, e.focus(), key, null, now) ? 1 : 0;
            }
            case PING -> work.addCatchUp(c, null, null, null, now) ? 1 : 0;
            case HANDSHAKE -> {
                if (sub != null && state.lastEvent(c, sub).isEmpty()) {
                    // The subscription starts here: numbering from this point on is ours to follow.
                    state.sawEvent(c, sub, EventNumbers.handshakeMark(n.eventsSinceStart()), now);
                }
                yield 0;
            }
            case HEARTBEAT -> {
                // A heartbeat says how many events there have been: more than we saw means some never arrived.
                if (sub != null && n.eventsSinceStart() != null) {
                    Long last = state.lastEvent(c, sub).orElse(null);
                    if (last != null && n.eventsSinceStart() > last) {
                        yield work.addCatchUp(c, sub, last, sub + "#gap-" + last + "-" + n.eventsSinceStart(), now)
                                ? 1 : 0;
                    }
                }
                yield 0;
            }
            case EVENT_NOTIFICATION -> events(c, n, now);
            case QUERY_STATUS, QUERY_EVENT -> 0; // answers to our own queries, not pushed events
        };
    }

    private int events(Connection c, FhirNotification n, Instant now) throws SQLException {
        String sub = n.subscription();
        int queued = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (FhirNotification.Event e : n.events()) {
            if (e.eventNumber() != null) {
                first = Math.min(first, e.eventNumber());
                last = Math.max(last, e.eventNumber());
            }
        }
        if (last == Long.MIN_VALUE && n.eventsSinceStart() != null) {
            // Events without numbers: the bundle's count is the number of its last one.
            last = n.eventsSinceStart();
            first = last - Math.max(n.events().size(), 1) + 1;
        }
        if (sub != null && last != Long.MIN_VALUE) {
            long seen = state.lastEvent(c, sub).orElse(0L);
            EventNumbers.Decision d = EventNumbers.decide(seen, first, last);
            if (d instanceof EventNumbers.InOrder in) {
                state.sawEvent(c, sub, in.highWater(), now);
            } else if (d instanceof EventNumbers.Gap gap) {
                queued += work.addCatchUp(c, sub, gap.seen(), sub + "#gap-" + gap.seen() + "-" + first, now) ? 1 : 0;
                state.sawEvent(c, sub, gap.highWater(), now);
            } else if (d instanceof EventNumbers.Unconfirmed u) {
                // Not recorded: only what the server's $events returns is (FhirSync.eventsSince).
                LOG.warn("FHIR notification subscription={} carries event numbers beyond {} + {}: not recorded, "
                        + "catching up from the server", LogSafe.text(sub), u.seen(), EventNumbers.WINDOW);
                queued += work.addCatchUp(c, sub, u.seen(), sub + "#unconfirmed-" + u.seen() + "-" + last, now)
                        ? 1 : 0;
            }
        }
        for (FhirNotification.Event e : n.events()) {
            String eventKey = sub != null && e.eventNumber() != null ? sub + "#" + e.eventNumber() : null;
            if (e.focus() == null) {
                // Payload "empty": we are told something changed, not what. Look for it.
                queued += work.addCatchUp(c, sub, null, eventKey, now) ? 1 : 0;
                continue;
            }
            String type = e.focus().substring(0, e.focus().indexOf('/'));
            if (!TYPES.contains(type)) {
                continue;
            }
            String key = eventKey != null ? eventKey : e.version() == null ? null : e.focus() + "|" + e.version();
            queued += work.addRead(c, e.focus(), key, sub, now) ? 1 : 0;
        }
        return queued;
    }

    /** The request path below /fhir ("" for /fhir itself), without the query. */
    private static String pathBelowFhir(Message in) {
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            uri = in.getHeader(Exchange.HTTP_PATH, String.class);
        }
        if (uri == null) {
            return "";
        }
        int q = uri.indexOf('?');
        String p = q >= 0 ? uri.substring(0, q) : uri;
        int at = p.indexOf("/fhir");
        p = at >= 0 ? p.substring(at + "/fhir".length()) : p;
        return p.equals("/") ? "" : p;
    }

    private static void answer(Exchange exchange, int status, String body) {
        HttpReply.answer(exchange, status, JSON_TYPE, body);
    }
}
