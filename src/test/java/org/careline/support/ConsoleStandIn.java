package org.careline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.careline.console.ConsoleFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's pages with a stand-in for the engine's /api/v1, for browser tests written before the real API
 * exists: one local HTTP server answers /console/ from src/main/resources/console (through {@link ConsoleFiles},
 * so with the engine's own headers) and /api/v1 from memory, after the API contract in docs/console.md — the session
 * cookie, the CSRF header, roles (401 without a session, 403 for the wrong role), 409s for a claimed item and a
 * closed window. What the page sent is recorded for the test to check.
 */
public final class ConsoleStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COOKIE = "careline_session";

    /** A request the page made that changed something (method, path, JSON body as text, CSRF header as sent). */
    public record Call(String method, String path, String body, String csrf) {
    }

    /** A handoff as the stand-in keeps it; tests change the fields directly. */
    public static final class Handoff {
        public final long id;
        public String queue;
        public String site = "gh-clinic";
        public String status = "OPEN";
        public boolean urgent;
        public String reason;
        public Instant createdAt;
        public Instant dueAt;
        public String claimedBy;
        public String patientName = "Ana Test";
        public String patientPhone = "+16082719000";
        public long patientId = 7;
        public List<String> messages = new ArrayList<>();
        public boolean windowOpen = true;
        /** The detail says the window is open, but it closes before a reply is sent (the 409 path). */
        public boolean windowClosesOnReply;
        public String followUpTemplate = "staff_follow_up";
        public final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

        Handoff(long id) {
            this.id = id;
        }
    }

    private record User(String username, String password, List<String> roles, List<String> sites) {
    }

    private record Session(String username, String csrf) {
    }

    private final HttpServer server;
    private final ConsoleFiles files = ConsoleFiles.fromDirectory(Path.of("src/main/resources/console"));
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Handoff> handoffs = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> deadLetters = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> alerts = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);
    /** What GET /api/v1/stats/… answers, by path (e.g. "/stats/summary"); tests fill it. */
    public final Map<String, Object> stats = new ConcurrentHashMap<>();
    /** The stats requests the page made, path and query as sent. */
    public final List<String> statsQueries = new CopyOnWriteArrayList<>();
    /** The monthly reports GET /api/v1/reports lists, newest first (POST adds one). */
    public final List<Map<String, Object>> reports = new CopyOnWriteArrayList<>();

    public ConsoleStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        user("nurse", "nurse-pass-1", List.of("staff"));
        user("analyst", "analyst-pass-1", List.of("analyst"));
        user("auditor", "auditor-pass-1", List.of("auditor"));
        user("admin", "admin-pass-1", List.of("admin"));
    }

    /** http://127.0.0.1:port (the console is at /console/). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void user(String username, String password, List<String> roles) {
        users.put(username, new User(username, password, roles, null));
    }

    /** A new handoff, created now, due per its queue's SLA. */
    public Handoff handoff(String queue, boolean urgent, String reason, String message) {
        Handoff h = new Handoff(ids.incrementAndGet());
        h.queue = queue;
        h.urgent = urgent;
        h.reason = reason;
        h.createdAt = Instant.now();
        h.dueAt = h.createdAt.plus(Duration.ofMinutes(slaMinutes(queue)));
        h.messages.add(message);
        h.events.add(event("CREATED", null, null));
        handoffs.add(h);
        return h;
    }

    public Map<String, Object> deadLetter(String id, String reason) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("queue", id.substring(0, id.indexOf('-')));
        d.put("rowId", Long.parseLong(id.substring(id.indexOf('-') + 1)));
        d.put("site", "gh-clinic");
        d.put("kind", "REMINDER");
        d.put("reason", reason);
        d.put("attempts", 8);
        d.put("at", Instant.now().toString());
        deadLetters.add(d);
        return d;
    }

    public Map<String, Object> alert(String kind, String severity, String subject) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", ids.incrementAndGet());
        a.put("kind", kind);
        a.put("severity", severity);
        a.put("site", "gh-clinic");
        a.put("subject", subject);
        a.put("detail", "handoff " + subject);
        a.put("raisedAt", Instant.now().toString());
        a.put("clearedAt", null);
        a.put("ackedBy", null);
        a.put("ackedAt", null);
        a.put("deliveries", List.of(Map.of("channel", "on-call-webhook", "status", "SENT")));
        alerts.add(a);
        return a;
    }

    public List<Map<String, Object>> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Every request that changed something, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String pathSuffix) {
        return calls.stream().filter(c -> c.path().endsWith(pathSuffix)).toList();
    }

    /** Ends every session (as an expiry or a restart would): the page's next request gets 401. */
    public void endSessions() {
        sessions.clear();
    }

    private static int slaMinutes(String queue) {
        return switch (queue) {
            case "emergency" -> 10;
            case "pharmacy" -> 120;
            case "results" -> 240;
            default -> 480;
        };
    }

    private static Map<String, Object> event(String kind, String actor, String body) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", kind);
        e.put("actor", actor);
        e.put("body", body);
        e.put("at", Instant.now().toString());
        return e;
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try {
            String rawPath = ex.getRequestURI().getRawPath();
            if (rawPath.equals(ConsoleFiles.BASE) || rawPath.startsWith(ConsoleFiles.BASE + "/")) {
                ConsoleFiles.Reply reply = ConsoleFiles.reply(files.resolve(rawPath));
                reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                send(ex, reply.status(), reply.body());
                return;
            }
            if (!rawPath.startsWith("/api/v1/")) {
                send(ex, 404, "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            api(ex, rawPath.substring("/api/v1".length()));
        } catch (RuntimeException e) {
            json(ex, 500, Map.of("error", "stand-in failed: " + e));
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, body == null ? new byte[0] : JSON.writeValueAsBytes(body));
    }

    private static Map<String, String> error(String text) {
        return Map.of("error", text);
    }

    private Session session(HttpExchange ex) {
        List<String> cookies = ex.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return sessions.get(p.substring(COOKIE.length() + 1));
                }
            }
        }
        return null;
    }

    private static boolean allowed(User u, String role) {
        return u.roles().contains(role) || u.roles().contains("admin");
    }

    private Map<String, Object> sessionBody(User u, Session s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", u.username());
        body.put("roles", u.roles());
        body.put("sites", u.sites());
        body.put("csrfToken", s.csrf());
        return body;
    }

    private void api(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Session session = session(ex);
        if (path.equals("/session")) {
            session(ex, method, body, session);
            return;
        }
        if (session == null) {
            json(ex, 401, error("sign in first"));
            return;
        }
        User user = users.get(session.username());
        if (!method.equals("GET")) {
            String csrf = ex.getRequestHeaders().getFirst("X-CSRF-Token");
            calls.add(new Call(method, path, body, csrf));
            if (!session.csrf().equals(csrf)) {
                json(ex, 403, error("missing or wrong X-CSRF-Token"));
                return;
            }
        }
        JsonNode in = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        Matcher m;
        if (path.equals("/queues") || path.startsWith("/handoffs") || path.startsWith("/patients/")) {
            if (!allowed(user, "staff")) {
                json(ex, 403, error("not allowed"));
                return;
            }
        }
        if (path.equals("/queues")) {
            json(ex, 200, queues());
        } else if (path.equals("/handoffs")) {
            Map<String, String> q = query(ex);
            json(ex, 200, handoffs.stream()
                    .filter(h -> q.get("status") == null || h.status.equals(q.get("status")))
                    .filter(h -> q.get("queue") == null || h.queue.equals(q.get("queue")))
                    .filter(h -> q.get("site") == null || h.site.equals(q.get("site")))
                    .map(this::summary).toList());
        } else if ((m = Pattern.compile("/handoffs/(\\d+)(/[a-z-]+)?").matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            Handoff h = handoffs.stream().filter(x -> x.id == id).findFirst().orElse(null);
            if (h == null) {
                json(ex, 404, error("no such handoff"));
                return;
            }
            handoffAction(ex, user, h, m.group(2) == null ? "" : m.group(2), in);
        } else if ((m = Pattern.compile("/patients/(\\d+)/consent").matcher(path)).matches()) {
            // as the real API: nothing recorded for the stand-in's patients
            Map<String, Object> consent = new LinkedHashMap<>();
            consent.put("patientId", Long.parseLong(m.group(1)));
            consent.put("consent", "none");
            consent.put("doNotMessage", false);
            consent.put("requested", false);
            consent.put("history", List.of());
            json(ex, 200, consent);
        } else if ((m = Pattern.compile("/patients/(\\d+)/timeline").matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            Handoff h = handoffs.stream().filter(x -> x.patientId == id).findFirst().orElse(null);
            if (h == null) {
                json(ex, 404, error("no such patient"));
                return;
            }
            Map<String, Object> patient = new LinkedHashMap<>();
            patient.put("id", h.patientId);
            patient.put("name", h.patientName);
            patient.put("phone", h.patientPhone);
            patient.put("language", "en");
            patient.put("optedOut", false);
            List<Map<String, Object>> items = new ArrayList<>();
            for (String text : h.messages) {
                items.add(Map.of("at", h.createdAt.toString(), "type", "INBOUND", "text", text, "status", "",
                        "ref", "handoff:" + h.id));
            }
            json(ex, 200, Map.of("patient", patient, "items", items));
        } else if (path.startsWith("/dead-letters") || path.startsWith("/inbound") || path.startsWith("/alerts")) {
            // as the real API: staff see alerts too (those of their sites), never inbound messages or dead letters
            if (!allowed(user, "analyst") && !(path.startsWith("/alerts") && allowed(user, "staff"))) {
                json(ex, 403, error("not allowed"));
                return;
            }
            analyst(ex, path, user);
        } else if (path.startsWith("/stats/") || path.startsWith("/reports")) {
            if (!allowed(user, "staff")) {
                json(ex, 403, error("not allowed"));
                return;
            }
            figures(ex, path, method, in);
        } else if (path.startsWith("/audit")) {
            if (!allowed(user, "auditor")) {
                json(ex, 403, error("not allowed"));
                return;
            }
            json(ex, 200, List.of(Map.of("id", 1, "at", Instant.now().toString(), "actor", "nurse",
                    "action", "VIEW_HANDOFF", "patientId", 7, "subject", "handoff:101", "siteCode", "gh-clinic",
                    "outcome", "OK", "detail", "")));
        } else if (path.equals("/users") || path.equals("/tokens")) {
            if (!allowed(user, "admin")) {
                json(ex, 403, error("not allowed"));
                return;
            }
            admin(ex, path, method, in);
        } else {
            json(ex, 404, error("no such endpoint"));
        }
    }

    /** The dashboard's figures as a test set them in {@link #stats}, whatever the query; reports as listed. */
    private void figures(HttpExchange ex, String path, String method, JsonNode in) throws IOException {
        statsQueries.add(path + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        if (path.equals("/reports") && method.equals("POST")) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", ids.incrementAndGet());
            r.put("site", in.path("site").asText());
            r.put("month", in.path("month").asText());
            r.put("createdAt", Instant.now().toString());
            r.put("trigger", "on-demand");
            r.put("requestedBy", "nurse");
            reports.add(0, r);
            json(ex, 201, r);
        } else if (path.equals("/reports")) {
            json(ex, 200, Map.of("reports", reports));
        } else if (stats.containsKey(path)) {
            json(ex, 200, stats.get(path));
        } else {
            json(ex, 404, error("no such figure"));
        }
    }

    private void session(HttpExchange ex, String method, String body, Session session) throws IOException {
        switch (method) {
            case "POST" -> {
                JsonNode in = JSON.readTree(body);
                User u = users.get(in.path("username").asText());
                if (u == null || !u.password().equals(in.path("password").asText())) {
                    json(ex, 401, error("wrong user name or password"));
                    return;
                }
                String token = UUID.randomUUID().toString();
                Session s = new Session(u.username(), UUID.randomUUID().toString());
                sessions.put(token, s);
                ex.getResponseHeaders().add("Set-Cookie",
                        COOKIE + "=" + token + "; Path=/; HttpOnly; Secure; SameSite=Strict");
                json(ex, 200, sessionBody(u, s));
            }
            case "GET" -> {
                if (session == null) {
                    json(ex, 401, error("not signed in"));
                } else {
                    json(ex, 200, sessionBody(users.get(session.username()), session));
                }
            }
            case "DELETE" -> {
                sessions.values().remove(session);
                json(ex, 204, null);
            }
            default -> json(ex, 405, error("method"));
        }
    }

    private List<Map<String, Object>> queues() {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (String q : List.of("emergency", "pharmacy", "results", "scheduling", "nurse")) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("site", "gh-clinic");
            row.put("queue", q);
            row.put("open", 0);
            row.put("claimed", 0);
            row.put("overdue", 0);
            row.put("slaMinutes", slaMinutes(q));
            rows.put(q, row);
        }
        for (Handoff h : handoffs) {
            Map<String, Object> row = rows.get(h.queue);
            if (h.status.equals("OPEN")) {
                row.merge("open", 1, (a, b) -> (int) a + (int) b);
            } else if (h.status.equals("CLAIMED")) {
                row.merge("claimed", 1, (a, b) -> (int) a + (int) b);
            }
            if (overdue(h)) {
                row.merge("overdue", 1, (a, b) -> (int) a + (int) b);
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static boolean overdue(Handoff h) {
        return !h.status.equals("RESOLVED") && h.dueAt.isBefore(Instant.now());
    }

    private Map<String, Object> summary(Handoff h) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", h.id);
        s.put("queue", h.queue);
        s.put("site", h.site);
        s.put("status", h.status);
        s.put("urgent", h.urgent);
        s.put("reason", h.reason);
        s.put("createdAt", h.createdAt.toString());
        s.put("dueAt", h.dueAt.toString());
        s.put("claimedBy", h.claimedBy);
        s.put("overdue", overdue(h));
        return s;
    }

    private Map<String, Object> detail(Handoff h) {
        Map<String, Object> d = summary(h);
        d.put("patient", Map.of("id", h.patientId, "name", h.patientName, "phone", h.patientPhone));
        Map<String, Object> appointment = new LinkedHashMap<>();
        appointment.put("id", 55);
        appointment.put("startAt", h.createdAt.plus(Duration.ofDays(2)).toString());
        appointment.put("service", "Cardiology follow-up");
        appointment.put("provider", "Dr. Rivera");
        appointment.put("location", "GH Clinic, room 4");
        appointment.put("status", "BOOKED");
        d.put("appointment", appointment);
        d.put("messages", h.messages.stream()
                .map(t -> Map.of("text", t, "receivedAt", h.createdAt.toString())).toList());
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("open", h.windowOpen);
        window.put("closesAt", h.windowOpen ? h.createdAt.plus(Duration.ofHours(24)).toString()
                : h.createdAt.minus(Duration.ofHours(1)).toString());
        d.put("window", window);
        d.put("followUpTemplate", h.followUpTemplate);
        d.put("events", List.copyOf(h.events));
        return d;
    }

    private void handoffAction(HttpExchange ex, User user, Handoff h, String action, JsonNode in)
            throws IOException {
        boolean mine = h.status.equals("CLAIMED") && user.username().equals(h.claimedBy);
        switch (action) {
            case "" -> json(ex, 200, detail(h));
            case "/claim" -> {
                if (h.status.equals("CLAIMED") && !mine) {
                    json(ex, 409, error("claimed by " + h.claimedBy));
                    return;
                }
                h.status = "CLAIMED";
                h.claimedBy = user.username();
                h.events.add(event("CLAIMED", user.username(), null));
                json(ex, 200, detail(h));
            }
            case "/reply" -> {
                if (!mine) {
                    json(ex, 409, error("claim the item first"));
                    return;
                }
                if (h.windowClosesOnReply) {
                    h.windowOpen = false;
                }
                if (!h.windowOpen) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("error", "The 24-hour window has closed: only the follow-up template can be sent.");
                    body.put("followUpTemplate", h.followUpTemplate);
                    json(ex, 409, body);
                    return;
                }
                long outbox = ids.incrementAndGet();
                h.events.add(event("REPLIED", user.username(), in.path("text").asText()));
                json(ex, 200, Map.of("outboxId", outbox));
            }
            case "/follow-up" -> {
                long outbox = ids.incrementAndGet();
                h.events.add(event("TEMPLATE", user.username(), h.followUpTemplate));
                json(ex, 200, Map.of("outboxId", outbox));
            }
            case "/note" -> {
                h.events.add(event("NOTE", user.username(), in.path("text").asText()));
                json(ex, 200, detail(h));
            }
            case "/resolve" -> {
                h.status = "RESOLVED";
                h.events.add(event("RESOLVED", user.username(), null));
                json(ex, 200, detail(h));
            }
            default -> json(ex, 404, error("no such action"));
        }
    }

    private void analyst(HttpExchange ex, String path, User user) throws IOException {
        Matcher m;
        if (path.equals("/dead-letters")) {
            json(ex, 200, List.copyOf(deadLetters));
        } else if ((m = Pattern.compile("/dead-letters/([a-z]+-\\d+)/(retry|discard)").matcher(path)).matches()) {
            String id = m.group(1);
            boolean removed = deadLetters.removeIf(d -> d.get("id").equals(id));
            if (!removed) {
                json(ex, 404, error("no such dead letter"));
                return;
            }
            json(ex, 200, Map.of("result", m.group(2).equals("retry") ? "queued again" : "discarded"));
        } else if (path.equals("/inbound/fhir")) {
            Map<String, Object> work = new LinkedHashMap<>();
            work.put("id", 3);
            work.put("focus", "Appointment/a1");
            work.put("subscription", "Subscription/s1");
            work.put("status", "DONE");
            work.put("attempts", 1);
            work.put("lastError", null);
            work.put("receivedAt", Instant.now().toString());
            json(ex, 200, List.of(work));
        } else if (path.equals("/inbound")) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", 9);
            row.put("sender", "EPIC|GH");
            row.put("controlId", "MSG00042");
            row.put("messageType", "SIU^S12");
            row.put("ackCode", "AE");
            row.put("ackText", "no phone");
            row.put("errorCode", "101");
            row.put("receivedAt", Instant.now().toString());
            row.put("replayable", true);
            json(ex, 200, List.of(row));
        } else if (path.matches("/inbound/\\d+/replay")) {
            json(ex, 200, Map.of("ackCode", "AA", "ackText", ""));
        } else if (path.equals("/alerts")) {
            json(ex, 200, List.copyOf(alerts));
        } else if ((m = Pattern.compile("/alerts/(\\d+)/ack").matcher(path)).matches()) {
            long id = Long.parseLong(m.group(1));
            for (Map<String, Object> a : alerts) {
                if (((Number) a.get("id")).longValue() == id) {
                    if (a.get("ackedBy") != null) {
                        json(ex, 409, error("already acknowledged"));
                        return;
                    }
                    a.put("ackedBy", user.username());
                    a.put("ackedAt", Instant.now().toString());
                    json(ex, 200, a);
                    return;
                }
            }
            json(ex, 404, error("no such alert"));
        } else {
            json(ex, 404, error("no such endpoint"));
        }
    }

    private void admin(HttpExchange ex, String path, String method, JsonNode in) throws IOException {
        if (path.equals("/users") && method.equals("GET")) {
            json(ex, 200, users.values().stream().sorted(java.util.Comparator.comparing(User::username))
                    .map(u -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("id", Math.abs(u.username().hashCode()));
                        row.put("username", u.username());
                        row.put("roles", u.roles());
                        row.put("sites", u.sites());
                        row.put("locked", false);
                        row.put("disabled", false);
                        return row;
                    }).toList());
        } else if (path.equals("/users")) {
            List<String> roles = new ArrayList<>();
            in.path("roles").forEach(r -> roles.add(r.asText()));
            users.put(in.path("username").asText(), new User(in.path("username").asText(),
                    in.path("password").asText(), roles, null));
            json(ex, 201, Map.of("username", in.path("username").asText()));
        } else {
            json(ex, 201, Map.of("token", "clt_" + UUID.randomUUID().toString().replace("-", "")));
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
