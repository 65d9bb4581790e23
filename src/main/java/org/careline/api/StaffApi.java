package org.careline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.careline.access.Authenticator;
import org.careline.access.Caller;
import org.careline.access.SecretTokens;
import org.careline.model.AuditEntry;
import org.careline.routes.HttpReply;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of /api/v1 (routes/api.yaml): finds the endpoint, finds who is calling (session cookie or bearer
 * token), checks their role and, for a browser, the CSRF token, then runs the handler and writes its answer as JSON.
 * Closed by default: an endpoint is reachable only with the roles its entry names, a caller without credentials
 * gets 401, one without the role 403 (recorded in the audit trail). Answers never carry an exception's text.
 */
public final class StaffApi {

    private static final Logger LOG = LoggerFactory.getLogger(StaffApi.class);
    public static final String PREFIX = "/api/v1";
    public static final String COOKIE = "careline_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final List<Endpoint> endpoints;
    private final Authenticator authenticator;
    private final Database db;
    private final AuditLog audit;
    private final Clock clock;

    public StaffApi(List<Endpoint> endpoints, Authenticator authenticator, Database db, AuditLog audit, Clock clock) {
        this.endpoints = List.copyOf(endpoints);
        this.authenticator = authenticator;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = String.valueOf(in.getHeader(Exchange.HTTP_METHOD));
        String path = pathOf(in);
        ApiAnswer answer;
        try {
            answer = answer(in, method, path);
        } catch (ApiAnswer.Problem p) {
            answer = ApiAnswer.error(p.status(), p.getMessage());
        } catch (Exception e) {
            // The class only: an exception's message may quote a patient's data.
            LOG.warn("api {} {} failed ({})", method, path.replaceAll("[^A-Za-z0-9/_.-]", "?"),
                    e.getClass().getSimpleName());
            answer = ApiAnswer.error(500, "failed; try again");
        }
        write(exchange, answer);
    }

    private ApiAnswer answer(Message in, String method, String path) throws Exception {
        Endpoint endpoint = null;
        Map<String, String> values = null;
        boolean pathKnown = false;
        for (Endpoint e : endpoints) {
            Optional<Map<String, String>> m = e.match(path);
            if (m.isPresent()) {
                pathKnown = true;
                if (e.method().equals(method)) {
                    endpoint = e;
                    values = m.get();
                    break;
                }
            }
        }
        Optional<Caller> caller = callerOf(in);
        if (endpoint == null || (!endpoint.open() && caller.isEmpty())) {
            // Without credentials nothing is told apart, not even which paths exist.
            if (caller.isEmpty() && (endpoint == null || !endpoint.open())) {
                return ApiAnswer.error(401, "sign in first");
            }
            return pathKnown ? ApiAnswer.error(405, "method not allowed") : ApiAnswer.error(404, "not found");
        }
        if (!endpoint.open()) {
            Caller who = caller.get();
            if (!who.hasAny(endpoint.roles())) {
                String what = method + " " + endpoint.path();
                db.inTransaction(c -> {
                    audit.record(c, new AuditEntry(who.name(), "denied", null, what, null,
                            "denied", "roles=" + who.user().roles(), null), clock.instant());
                    return null;
                });
                return ApiAnswer.error(403, "your role may not do this");
            }
            if (who.viaSession() && !"GET".equals(method)
                    && !SecretTokens.same(HttpReply.requestHeader(in, CSRF_HEADER), who.csrfToken())) {
                return ApiAnswer.error(403, "missing or wrong " + CSRF_HEADER);
            }
        }
        byte[] body = in.getBody(byte[].class);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        // (A form's body may already have been read into headers by the HTTP server: the type is what counts.)
        if (((body != null && body.length > 0) || contentType != null) && !"GET".equals(method) && !isJson(contentType)) {
            // A cross-site form cannot send application/json without the browser asking first (CORS), and we
            // answer no such question: one more wall against forged requests.
            return ApiAnswer.error(415, "send application/json");
        }
        return endpoint.handler().handle(new ApiCall(caller.orElse(null), values, queryOf(in),
                body == null ? new byte[0] : body, clock.instant(), remoteOf(in)));
    }

    private Optional<Caller> callerOf(Message in) {
        String auth = HttpReply.requestHeader(in, "Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authenticator.byToken(auth.substring(7).trim());
        }
        return authenticator.bySession(cookie(HttpReply.requestHeader(in, "Cookie"), COOKIE));
    }

    /** The peer's address as Vert.x saw it (a balancer's, behind one), for the audit trail. */
    private static String remoteOf(Message in) {
        Object a = in.getHeader("CamelVertxPlatformHttpRemoteAddress");
        return a instanceof io.vertx.core.net.SocketAddress s ? s.hostAddress() : null;
    }

    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    }

    /** The request's path below /api/v1, without the query. */
    private static String pathOf(Message in) {
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            uri = in.getHeader(Exchange.HTTP_PATH, String.class);
        }
        if (uri == null) {
            return "/";
        }
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        int at = p.indexOf(PREFIX);
        p = at < 0 ? p : p.substring(at + PREFIX.length());
        return p.isEmpty() ? "/" : p;
    }

    private static Map<String, String> queryOf(Message in) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = in.getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(k, v);
        }
        return query;
    }

    private static void write(Exchange exchange, ApiAnswer answer) {
        if (answer.body() instanceof ApiAnswer.FileBody file) {
            Message out = exchange.getMessage();
            out.removeHeaders("*");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
            out.setHeader(Exchange.CONTENT_TYPE, file.contentType());
            // The name is made by the engine (site code and month), never taken from the request.
            out.setHeader("Content-Disposition", "attachment; filename=\"" + file.filename() + "\"");
            out.setHeader("Cache-Control", "no-store");
            out.setHeader("X-Content-Type-Options", "nosniff");
            out.setBody(file.bytes());
            return;
        }
        String body;
        try {
            body = answer.body() == null ? "" : answer.body() instanceof String s ? s
                    : JSON.writeValueAsString(answer.body());
        } catch (Exception e) {
            LOG.warn("api answer not written as JSON ({})", e.getClass().getSimpleName());
            HttpReply.answer(exchange, 500, "application/json", "{\"error\":\"failed; try again\"}");
            return;
        }
        HttpReply.answer(exchange, answer.status(), "application/json", body);
        Message out = exchange.getMessage();
        // Answers hold patients' data: never kept by a browser or a proxy.
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("X-Content-Type-Options", "nosniff");
        answer.headers().forEach(out::setHeader);
    }
}
