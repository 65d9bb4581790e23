package org.careline.ingest.whatsapp;

import org.careline.model.EngineEvents;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.careline.routes.HttpReply;
import org.careline.store.Database;
import org.careline.store.WebhookDeliveries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The HTTP side of Meta's webhooks (routes/webhooks.yaml). {@link #handshake} answers the GET with which Meta checks
 * the callback URL; {@link #receive} checks a POST's signature over the exact bytes received, stores the body in
 * webhook_delivery (committed) and answers 200 at once. {@link WebhookProcessor} does the rest from the table.
 * Responses carry no request headers back and never an exception's text.
 */
public final class WebhookIntake {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    private static final String UNAUTHORIZED = "{\"error\":\"missing or invalid " + WebhookSignature.HEADER + "\"}";

    private final Database db;
    private final WebhookDeliveries deliveries;
    private final WebhookSignature signature;
    private final byte[] verifyTokenDigest;
    private final int maxBytes;
    private final Clock clock;
    private final EngineEvents events;

    public WebhookIntake(Database db, WebhookDeliveries deliveries, WebhookSignature signature, String verifyToken,
                         int maxBytes, Clock clock) {
        this(db, deliveries, signature, verifyToken, maxBytes, clock, EngineEvents.NONE);
    }

    /**
     * @param verifyToken WHATSAPP_VERIFY_TOKEN; null refuses every handshake
     * @param maxBytes    CARELINE_WEBHOOK_MAX_BYTES: larger bodies are answered 413 and not stored
     * @param events      told what each POST came to, for operators' metrics
     */
    public WebhookIntake(Database db, WebhookDeliveries deliveries, WebhookSignature signature, String verifyToken,
                         int maxBytes, Clock clock, EngineEvents events) {
        this.events = events;
        this.db = db;
        this.deliveries = deliveries;
        this.signature = signature;
        this.verifyTokenDigest = verifyToken == null || verifyToken.isEmpty() ? null : HttpReply.digest(verifyToken);
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * GET /webhooks/whatsapp?hub.mode=subscribe&amp;hub.verify_token=…&amp;hub.challenge=…: 200 with the challenge as
     * text/plain when the mode is subscribe and the token is ours, else 403.
     */
    public void handshake(Exchange exchange) {
        Message in = exchange.getMessage();
        String mode = single(in, "hub.mode");
        String token = single(in, "hub.verify_token");
        String challenge = single(in, "hub.challenge");
        boolean ok = "subscribe".equals(mode) && challenge != null && HttpReply.sameSecret(token, verifyTokenDigest);
        if (ok) {
            LOG.info("webhook verification handshake accepted");
            answer(exchange, 200, "text/plain; charset=UTF-8", challenge);
        } else {
            LOG.warn("webhook verification handshake refused ({})",
                    verifyTokenDigest == null ? "WHATSAPP_VERIFY_TOKEN is not set" : "wrong mode or token");
            answer(exchange, 403, "text/plain; charset=UTF-8", "Forbidden");
        }
    }

    /** POST /webhooks/whatsapp: 401 unsigned or wrongly signed, 413 too large, else stored and 200. */
    public void receive(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (!signature.configured()) {
            // The same answer as for a wrong signature: the caller learns nothing about our configuration.
            LOG.warn("webhook refused: WHATSAPP_APP_SECRET is not set, so no signature can be checked");
            events.webhook(EngineEvents.WebhookOutcome.UNAUTHORIZED);
            answer(exchange, 401, "application/json", UNAUTHORIZED);
            return;
        }
        if (body.length > maxBytes) {
            LOG.warn("webhook refused: body of {} bytes is over CARELINE_WEBHOOK_MAX_BYTES ({})", body.length, maxBytes);
            events.webhook(EngineEvents.WebhookOutcome.TOO_LARGE);
            answer(exchange, 413, "application/json", "{\"error\":\"body too large\"}");
            return;
        }
        if (!signature.matches(body, HttpReply.requestHeader(exchange.getMessage(), WebhookSignature.HEADER))) {
            LOG.warn("webhook refused: missing or invalid {} ({} bytes)", WebhookSignature.HEADER, body.length);
            events.webhook(EngineEvents.WebhookOutcome.UNAUTHORIZED);
            answer(exchange, 401, "application/json", UNAUTHORIZED);
            return;
        }
        String text;
        String unprocessable = null;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            text = new String(body, StandardCharsets.UTF_8);
            unprocessable = "body is not UTF-8";
        }
        if (text.indexOf('\0') >= 0) {
            // Not JSON (a NUL must be escaped in JSON text), and PostgreSQL text cannot hold one.
            text = text.replace('\0', '\uFFFD');
            unprocessable = "body holds a NUL character";
        }
        String stored = text;
        String error = unprocessable;
        // Shared with POSTs arriving at the same moment: one commit for all of them, each 200 after its own.
        WebhookDeliveries.Recorded recorded = db.inSharedTransaction(c -> deliveries.store(c, stored, error,
                clock.instant()));
        if (recorded instanceof WebhookDeliveries.Repeat repeat) {
            // 200 all the same: an error would make Meta deliver it again and again.
            LOG.info("webhook body identical to delivery={}: not stored again", repeat.firstId());
            events.webhook(EngineEvents.WebhookOutcome.REPEAT);
            answer(exchange, 200, "application/json", "{\"status\":\"ok\"}");
            return;
        }
        long id = ((WebhookDeliveries.Stored) recorded).id();
        events.webhook(error == null ? EngineEvents.WebhookOutcome.STORED : EngineEvents.WebhookOutcome.UNPROCESSABLE);
        if (error != null) {
            LOG.warn("webhook delivery={} stored but not processed: {}", id, error);
        } else {
            LOG.debug("webhook delivery={} stored ({} bytes)", id, body.length);
        }
        answer(exchange, 200, "application/json", "{\"status\":\"ok\"}");
    }

    /**
     * Vert.x refuses a body over camel.server.maxBodySize (set to CARELINE_WEBHOOK_MAX_BYTES) with 413 before any
     * route sees it, and by default logs that as an ERROR "Unhandled exception in router". This answers it as the
     * route would, with one WARN line. Call once the HTTP server has started.
     */
    public static void answerTooLargeBodies(CamelContext context, int port, int maxBytes) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null) {
            LOG.warn("no HTTP router found: bodies over CARELINE_WEBHOOK_MAX_BYTES get Vert.x's own 413");
            return;
        }
        // A failure handler on the routes' router sees the failure before Vert.x's default handling does.
        router.route().failureHandler(rc -> {
            if (rc.statusCode() != 413) {
                rc.next();
                return;
            }
            LOG.warn("HTTP {} refused: body over CARELINE_WEBHOOK_MAX_BYTES ({})", rc.request().path(), maxBytes);
            if (!rc.response().ended()) {
                rc.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"body too large\"}");
            }
        });
    }

    /** The header or query parameter when given once, else null (a repeated one is not trusted). */
    private static String single(Message in, String name) {
        Object v = in.getHeader(name);
        return v instanceof String s ? s : null;
    }

    private static void answer(Exchange exchange, int status, String contentType, String body) {
        HttpReply.answer(exchange, status, contentType, body);
    }
}
