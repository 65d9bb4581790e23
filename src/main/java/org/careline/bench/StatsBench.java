package org.careline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.Engine;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.stats.RollupFolder;
import org.careline.store.Database;
import org.careline.store.StatsRollups;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code java -jar target/careline.jar bench --stats [--appointments N] [--messages M] [--calls C]}: a year of data
 * generated straight into a fresh H2 database (batched JDBC: appointments over three sites and six services, their
 * template messages with sent / delivered / read / failed events, replies, opt-outs, staff handoffs, result notices
 * and portal opens), the roll-ups built as the engine builds them (timed), then the engine started on it and every
 * /api/v1/stats/* endpoint timed for today, 7 days, 30 days and a year, for one site and for all sites. Prints a
 * Markdown table: median and max of C calls after one warm-up, and whether the 1 s goal is met. Run from the
 * checkout root (the engine reads routes/ and mappings/ from there).
 */
public final class StatsBench {

    private static final Path DIR = Path.of("target", "bench-stats");
    static final Duration GOAL = Duration.ofSeconds(1);
    private static final String PASSWORD = "bench-stats-admin-password";
    private static final String[] SITES = {"main", "gh-clinic", "royal-london"};
    private static final String[] SERVICES = {"CONS", "DERM", "CARD", "RAD", "LAB", "PHYS"};
    private static final String[] INTENTS = {"CONFIRM", "CONFIRM", "CONFIRM", "CONFIRM", "CHANGE", "CANCEL",
            "LOCATION", "HELP", "STOP", "OTHER", "OTHER", "THANKS", "EMERGENCY"};
    private static final String[] QUEUES = {"nurse", "scheduling", "pharmacy", "results"};
    private static final String[] ENDPOINTS = {"summary", "messages", "replies", "queues", "no-shows", "failures",
            "results"};
    private static final int COMMIT_EVERY = 20_000;

    record Options(int appointments, int messages, int calls, Path dir) {

        static Options parse(String[] args) {
            int appointments = 1_000_000;
            Integer messages = null;
            int calls = 5;
            Path dir = DIR;
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--stats" -> {
                        // the switch that brought us here
                    }
                    case "--appointments" -> appointments = Integer.parseInt(args[++i]);
                    case "--messages" -> messages = Integer.parseInt(args[++i]);
                    case "--calls" -> calls = Integer.parseInt(args[++i]);
                    case "--dir" -> dir = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option: " + args[i] + " (bench --stats "
                            + "[--appointments N] [--messages M] [--calls C] [--dir D])");
                }
            }
            return new Options(appointments, messages != null ? messages : appointments * 5, calls, dir);
        }
    }

    /** One endpoint × period × site: the timings of its calls. */
    record Timing(String endpoint, String period, String site, List<Long> millis) {

        long median() {
            List<Long> s = new ArrayList<>(millis);
            s.sort(null);
            return s.get((s.size() - 1) / 2);
        }

        long max() {
            return millis.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private final Options options;
    private final Random random = new Random(15);
    private int pending;
    private final Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    StatsBench(Options options) {
        this.options = options;
    }

    public static int run(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!Files.isDirectory(Path.of("routes")) || !Files.isDirectory(Path.of("mappings"))) {
            System.err.println("careline bench --stats: run from the checkout root (needs routes/ and mappings/)");
            return 2;
        }
        List<Timing> timings = new StatsBench(options).runAll();
        return timings.stream().allMatch(t -> t.max() < GOAL.toMillis()) ? 0 : 1;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench --stats] " + format + "%n", args);
    }

    List<Timing> runAll() throws Exception {
        Files.createDirectories(options.dir());
        try (var files = Files.list(options.dir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith("careline.")) {
                    Files.delete(p);
                }
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_DB_URL", "jdbc:h2:file:" + options.dir().toAbsolutePath().resolve("careline")
                + ";WRITE_DELAY=0");
        env.put("CARELINE_ADMIN_PASSWORD", PASSWORD);
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineUnderTest.freePort()));
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineUnderTest.freePort()));
        env.put("CARELINE_PORTAL_LINK_SECRET", "bench-portal-secret-of-32-bytes!");
        Settings settings = Settings.from(env);
        SiteDirectory sites = SiteDirectory.load(settings.mappingsDir(), settings.zone(), settings.phoneRegion());

        long t0 = System.nanoTime();
        long rows;
        try (Database db = Database.open(settings.database())) {
            rows = generate(db);
            double generated = (System.nanoTime() - t0) / 1e9;
            log("generated %,d rows (%,d appointments, %,d messages) in %.0f s", rows, options.appointments(),
                    options.messages(), generated);
            long t1 = System.nanoTime();
            RollupFolder folder = new RollupFolder(db, new StatsRollups(),
                    code -> sites.site(code.isEmpty() ? null : code).zone(), Clock.systemUTC(), Duration.ZERO, 30);
            long folded = folder.fold();
            double foldSeconds = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            folder.recomputeNoShows();
            double noShowSeconds = (System.nanoTime() - t2) / 1e9;
            long rollupRows = db.inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM stats_day")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            log("roll-ups built as the engine builds them: %,d log rows folded in %.1f s, the no-show split of "
                    + "every appointment in %.1f s; %,d roll-up rows", folded, foldSeconds, noShowSeconds, rollupRows);
        }
        Engine engine = Engine.start(settings, Clock.systemUTC());
        List<Timing> timings;
        try {
            timings = measure(settings.httpPort());
        } finally {
            engine.close();
        }
        String table = table(timings);
        System.out.println();
        System.out.println(table);
        long worst = timings.stream().mapToLong(Timing::max).max().orElse(0);
        log("slowest call %d ms: the 1 s goal is %s", worst, worst < GOAL.toMillis() ? "met" : "NOT met");
        Files.writeString(options.dir().resolve("stats-timings.md"), table);
        return timings;
    }

    // ---- the data ----

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /** A year of work, oldest first; returns how many rows were written. */
    private long generate(Database db) throws SQLException {
        long rows = 0;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            int n = options.appointments();
            int patients = Math.max(1, n / 4);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO patient (id, patient_key, updated_at) VALUES (?, ?, ?)")) {
                for (int p = 1; p <= patients; p++) {
                    ps.setLong(1, p);
                    ps.setString(2, "bench-" + p);
                    ps.setObject(3, ts(now));
                    rows += batch(c, ps, p);
                }
                ps.executeBatch();
            }
            long yearMillis = Duration.ofDays(365).toMillis();
            Instant first = now.minus(Duration.ofDays(365));
            int perAppointment = Math.max(1, options.messages() / n);
            int extra = options.messages() - perAppointment * n; // the remainder: one more for the first ones
            long outboxId = 0;
            long eventId = 0;
            long replyId = 0;
            long noticeId = 0;
            long handoffId = 0;
            long apptEventId = 0;
            try (PreparedStatement appt = c.prepareStatement("INSERT INTO appointment (id, source, external_id, "
                    + "patient_id, status, start_at, site_code, service_code, reachable, confirmed_at, created_at, "
                    + "updated_at) VALUES (?, 'EHR', ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?)");
                 PreparedStatement apptEvent = c.prepareStatement("INSERT INTO appointment_event (id, appointment_id, "
                         + "event_type, start_at, recorded_at, action) VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement outbox = c.prepareStatement("INSERT INTO outbox (id, appointment_id, "
                         + "result_notice_id, kind, label, due_at, status, wamid, delivery_status, error_code, "
                         + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement event = c.prepareStatement("INSERT INTO message_event (id, outbox_id, event, "
                         + "detail, recorded_at) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement reply = c.prepareStatement("INSERT INTO inbound_reply (id, wamid, from_phone, "
                         + "message_type, appointment_id, intent, recorded_at) VALUES (?, ?, ?, 'text', ?, ?, ?)");
                 PreparedStatement notice = c.prepareStatement("INSERT INTO result_notice (id, patient_id, reference, "
                         + "kind, site_code, release_at, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement open = c.prepareStatement("INSERT INTO portal_open (notice_id, site_code, "
                         + "opened_at) VALUES (?, ?, ?)");
                 PreparedStatement handoff = c.prepareStatement("INSERT INTO staff_handoff (id, phone_e164, "
                         + "appointment_id, reason, urgent, created_at, queue, site_code, status, due_at, "
                         + "first_answer_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int a = 1; a <= n; a++) {
                    // bookings spread evenly over the year; each starts 1–14 days after it was booked
                    Instant booked = first.plusMillis((long) ((double) (a - 1) / n * (yearMillis - 60_000)));
                    Instant start = booked.plus(Duration.ofHours(24 + random.nextInt(13 * 24)));
                    String site = SITES[random.nextInt(SITES.length)];
                    String service = SERVICES[random.nextInt(SERVICES.length)];
                    boolean past = start.isBefore(now);
                    int fate = random.nextInt(100);
                    String status = fate < 6 ? "CANCELLED" : past && fate < 16 ? "NO_SHOW" : "BOOKED";
                    boolean confirmed = random.nextInt(100) < 40;
                    appt.setLong(1, a);
                    appt.setString(2, "A" + a);
                    appt.setLong(3, 1 + (a - 1) % patients);
                    appt.setString(4, status);
                    appt.setObject(5, ts(start));
                    appt.setString(6, site);
                    appt.setString(7, service);
                    appt.setObject(8, confirmed ? ts(booked.plus(Duration.ofHours(2))) : null);
                    appt.setObject(9, ts(booked));
                    appt.setObject(10, ts(booked));
                    rows += add(appt);
                    rows += addEvent(c, apptEvent, ++apptEventId, a, "S12", start, booked, "BOOK");
                    if (!"BOOKED".equals(status)) {
                        Instant when = "CANCELLED".equals(status) ? booked.plus(Duration.ofHours(20))
                                : start.plus(Duration.ofHours(3));
                        if (when.isBefore(now)) {
                            rows += addEvent(c, apptEvent, ++apptEventId, a, "CANCELLED".equals(status) ? "S15" : "S26",
                                    start, when, "CANCELLED".equals(status) ? "CANCEL" : "NO_SHOW");
                        }
                    }
                    int messages = perAppointment + (a <= extra ? 1 : 0);
                    Long noticeOfThis = null;
                    for (int m = 0; m < messages; m++) {
                        String kind = m == 0 ? "CONFIRMATION" : m == 1 || m == 2 ? "REMINDER"
                                : m == 3 ? (random.nextInt(10) < 3 ? "RESULTS_AVAILABLE" : "TEXT") : "REMINDER";
                        Instant sent = m == 0 ? booked.plusSeconds(5)
                                : booked.plusMillis((long) (Duration.between(booked, start).toMillis()
                                * Math.min(0.95, 0.3 + 0.2 * m)));
                        boolean due = !sent.isAfter(now); // a reminder of the days ahead is still waiting
                        if ("RESULTS_AVAILABLE".equals(kind)) {
                            noticeOfThis = ++noticeId;
                            notice.setLong(1, noticeOfThis);
                            notice.setLong(2, 1 + (a - 1) % patients);
                            notice.setString(3, "ref" + noticeOfThis);
                            notice.setString(4, "RESULTS_AVAILABLE");
                            notice.setString(5, site);
                            notice.setObject(6, ts(sent));
                            notice.setObject(7, ts(sent.plus(Duration.ofDays(30))));
                            notice.setObject(8, ts(sent));
                            rows += add(notice);
                        }
                        int outcome = random.nextInt(100);
                        String delivery = !due ? null : outcome < 3 ? "failed" : outcome < 60 ? "read"
                                : outcome < 92 ? "delivered" : "sent";
                        long id = ++outboxId;
                        outbox.setLong(1, id);
                        outbox.setObject(2, "RESULTS_AVAILABLE".equals(kind) ? null : (Object) (long) a);
                        outbox.setObject(3, "RESULTS_AVAILABLE".equals(kind) ? noticeOfThis : null);
                        outbox.setString(4, kind);
                        outbox.setString(5, kind.toLowerCase(Locale.ROOT));
                        outbox.setObject(6, ts(sent));
                        outbox.setString(7, !due ? "PENDING" : "failed".equals(delivery) ? "DEAD" : "SENT");
                        outbox.setString(8, due ? "w" + id : null);
                        outbox.setString(9, delivery);
                        outbox.setObject(10, "failed".equals(delivery) ? 131026 : null);
                        outbox.setObject(11, ts(sent.minusSeconds(60)));
                        outbox.setObject(12, ts(sent));
                        rows += add(outbox);
                        if (!due) {
                            continue;
                        }
                        rows += addMessageEvent(c, event, ++eventId, id, "sent", "w" + id, sent);
                        Instant later = sent.plusSeconds(30 + random.nextInt(3600));
                        if ("failed".equals(delivery)) {
                            rows += addMessageEvent(c, event, ++eventId, id, "failed",
                                    random.nextBoolean() ? "131026: Message undeliverable"
                                            : "131049: This message was not delivered to maintain healthy ecosystem "
                                            + "engagement.", later);
                            rows += addMessageEvent(c, event, ++eventId, id, "dead", "failed status", later);
                        } else if (!"sent".equals(delivery)) {
                            rows += addMessageEvent(c, event, ++eventId, id, "delivered", "w" + id, later);
                            if ("read".equals(delivery)) {
                                rows += addMessageEvent(c, event, ++eventId, id, "read", "w" + id,
                                        later.plusSeconds(random.nextInt(7200)));
                            }
                        }
                    }
                    if (noticeOfThis != null && random.nextBoolean()) {
                        open.setLong(1, noticeOfThis);
                        open.setString(2, site);
                        open.setObject(3, ts(booked.plus(Duration.ofDays(2)).isBefore(now)
                                ? booked.plus(Duration.ofDays(2)) : now));
                        rows += add(open);
                    }
                    // about one appointment in eight gets a reply; a third of those open a staff handoff
                    if (random.nextInt(8) == 0) {
                        Instant at = booked.plus(Duration.ofMinutes(10 + random.nextInt(600)));
                        if (at.isBefore(now)) {
                            String intent = INTENTS[random.nextInt(INTENTS.length)];
                            long r = ++replyId;
                            reply.setLong(1, r);
                            reply.setString(2, "in" + r);
                            reply.setString(3, "+1555" + a);
                            reply.setLong(4, a);
                            reply.setString(5, intent);
                            reply.setObject(6, ts(at));
                            rows += add(reply);
                            if ("STOP".equals(intent)) {
                                long id = ++outboxId;
                                outbox.setLong(1, id);
                                outbox.setLong(2, a);
                                outbox.setObject(3, null);
                                outbox.setString(4, "SERVICE_TEXT");
                                outbox.setString(5, "opt-out");
                                outbox.setObject(6, ts(at));
                                outbox.setString(7, "SENT");
                                outbox.setString(8, "w" + id);
                                outbox.setString(9, "delivered");
                                outbox.setObject(10, null);
                                outbox.setObject(11, ts(at));
                                outbox.setObject(12, ts(at));
                                rows += add(outbox);
                                rows += addMessageEvent(c, event, ++eventId, id, "queued", null, at);
                            }
                            if ("EMERGENCY".equals(intent) || "HELP".equals(intent) || "OTHER".equals(intent)) {
                                boolean emergency = "EMERGENCY".equals(intent);
                                String queue = emergency ? "emergency" : QUEUES[random.nextInt(QUEUES.length)];
                                Duration sla = emergency ? Duration.ZERO : Duration.ofHours(4);
                                long h = ++handoffId;
                                Instant answered = random.nextInt(10) < 8
                                        ? at.plusSeconds(60 + random.nextInt(6 * 3600)) : null;
                                handoff.setLong(1, h);
                                handoff.setString(2, "+1555" + a);
                                handoff.setLong(3, a);
                                handoff.setString(4, emergency ? "EMERGENCY" : "HELP");
                                handoff.setBoolean(5, emergency);
                                handoff.setObject(6, ts(at));
                                handoff.setString(7, queue);
                                handoff.setString(8, site);
                                // a year's items are all worked by now (the unanswered ones settled by telephone):
                                // an open item per unanswered one would flood the SLA watch with escalations
                                boolean answeredYet = answered != null && !answered.isAfter(now);
                                handoff.setString(9, "RESOLVED");
                                handoff.setObject(10, ts(at.plus(sla)));
                                handoff.setObject(11, answeredYet ? ts(answered) : null);
                                handoff.setObject(12, ts(answeredYet ? answered : at.plus(Duration.ofHours(1))));
                                rows += add(handoff);
                            }
                        }
                    }
                    if (pending >= COMMIT_EVERY) {
                        flush(c, List.of(appt, apptEvent, notice, outbox, event, reply, open, handoff));
                    }
                    if (a % 100_000 == 0) {
                        log("%,d of %,d appointments written (%,d rows)", a, n, rows);
                    }
                }
                flush(c, List.of(appt, apptEvent, notice, outbox, event, reply, open, handoff));
            }
            c.commit();
            // the engine's own rows get ids after these
            for (String table : List.of("patient", "appointment", "appointment_event", "outbox", "message_event",
                    "inbound_reply", "result_notice", "staff_handoff")) {
                try (var rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table)) {
                    rs.next();
                    c.createStatement().execute("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH "
                            + rs.getLong(1));
                }
            }
            c.commit();
        }
        return rows;
    }

    private int addEvent(Connection c, PreparedStatement ps, long id, long appointment, String type,
                                Instant start, Instant at, String action) throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, appointment);
        ps.setString(3, type);
        ps.setObject(4, ts(start));
        ps.setObject(5, ts(at));
        ps.setString(6, action);
        return add(ps);
    }

    private int addMessageEvent(Connection c, PreparedStatement ps, long id, long outbox, String event,
                                       String detail, Instant at) throws SQLException {
        ps.setLong(1, id);
        ps.setLong(2, outbox);
        ps.setString(3, event);
        ps.setString(4, detail);
        ps.setObject(5, ts(at));
        return add(ps);
    }

    /** Adds the row to its statement's batch (written with all the others by {@link #flush}). */
    private int add(PreparedStatement ps) throws SQLException {
        ps.addBatch();
        pending++;
        return 1;
    }

    /** Writes every statement's batch, parents before children, and commits. */
    private void flush(Connection c, List<PreparedStatement> inOrder) throws SQLException {
        for (PreparedStatement ps : inOrder) {
            ps.executeBatch();
        }
        c.commit();
        pending = 0;
    }

    /** Adds the row to its batch; every COMMIT_EVERY rows of a statement, writes and commits. */
    private static int batch(Connection c, PreparedStatement ps, long counter) throws SQLException {
        ps.addBatch();
        if (counter % COMMIT_EVERY == 0) {
            ps.executeBatch();
            c.commit();
        }
        return 1;
    }

    // ---- the timings ----

    private List<Timing> measure(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/session")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (signIn.statusCode() != 200) {
            throw new IllegalStateException("sign-in answered " + signIn.statusCode());
        }
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        LocalDate today = LocalDate.now(ZoneId.of("UTC"));
        Map<String, String> periods = new java.util.LinkedHashMap<>();
        periods.put("today", "period=today");
        periods.put("7d", "period=7d");
        periods.put("30d", "period=30d");
        periods.put("year", "from=" + today.minusDays(364) + "&to=" + today);
        List<Timing> out = new ArrayList<>();
        for (String site : new String[]{"gh-clinic", null}) {
            for (Map.Entry<String, String> p : periods.entrySet()) {
                for (String endpoint : ENDPOINTS) {
                    String url = "http://127.0.0.1:" + port + "/api/v1/stats/" + endpoint + "?" + p.getValue()
                            + (site == null ? "" : "&site=" + site);
                    List<Long> millis = new ArrayList<>();
                    for (int i = 0; i <= options.calls(); i++) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
                        long ms = (System.nanoTime() - t) / 1_000_000;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
                        }
                        if (i > 0) {
                            millis.add(ms); // the first call warms up
                        }
                    }
                    out.add(new Timing(endpoint, p.getKey(), site == null ? "all" : site, millis));
                }
            }
        }
        HttpResponse<String> sites = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/stats/sites")).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
        new ObjectMapper().readTree(sites.body());
        return out;
    }

    static String table(List<Timing> timings) {
        StringBuilder b = new StringBuilder("| endpoint | site | today | 7d | 30d | year |\n|---|---|---|---|---|---|\n");
        Map<String, Map<String, Timing>> rows = new java.util.LinkedHashMap<>();
        for (Timing t : timings) {
            rows.computeIfAbsent(t.endpoint() + "|" + t.site(), k -> new HashMap<>()).put(t.period(), t);
        }
        rows.forEach((key, byPeriod) -> {
            String[] parts = key.split("\\|");
            b.append("| `").append(parts[0]).append("` | ").append(parts[1]).append(" |");
            for (String period : List.of("today", "7d", "30d", "year")) {
                Timing t = byPeriod.get(period);
                b.append(' ').append(t.median()).append(" / ").append(t.max()).append(" ms")
                        .append(t.max() < GOAL.toMillis() ? "" : " ✗").append(" |");
            }
            b.append('\n');
        });
        long worst = timings.stream().max(Comparator.comparingLong(Timing::max)).map(Timing::max).orElse(0L);
        b.append("\nmedian / max of each endpoint's calls after a warm-up; slowest ").append(worst)
                .append(" ms: the 1 s goal is ").append(worst < GOAL.toMillis() ? "met" : "NOT met").append('\n');
        return b.toString();
    }
}
