package org.careline.bench;

import org.careline.store.Outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code java -jar target/careline.jar bench [--quick] [--n N] [--latency-ms L]}: runs the benchmark scenarios of
 * docs/performance.md against the engine started as production starts it, prints a Markdown table and writes
 * target/bench/results.json. Run from the checkout root (the engine reads routes/ and mappings/ from there).
 */
public final class BenchCommand {

    static final String APP_SECRET = "bench-app-secret";
    static final String PHONE_NUMBER_ID = "100000000000001";
    private static final Path DIR = Path.of("target", "bench");
    private static final Path JAR = Path.of("target", "careline.jar");
    private static final int CONNECTIONS = 4;
    private static final Duration NO_PROGRESS = Duration.ofSeconds(30);

    /** What to run: N per scenario and the stand-in's latency. */
    record Options(boolean quick, int ingestN, int warmupN, int webhookN, int e2eSeconds, int e2eRate,
                   long latencyMillis, int webhookClients, Map<String, String> engineEnv) {

        static Options parse(String[] args) {
            boolean quick = false;
            Integer n = null;
            long latency = 50;
            int webhookClients = 8;
            Map<String, String> engineEnv = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--n" -> n = Integer.parseInt(args[++i]);
                    case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                    case "--webhook-clients" -> webhookClients = Integer.parseInt(args[++i]);
                    case "--engine-env" -> {
                        String[] kv = args[++i].split("=", 2);
                        if (kv.length != 2 || !kv[0].startsWith("CARELINE_")) {
                            throw new IllegalArgumentException("--engine-env takes CARELINE_NAME=value, got " + args[i]);
                        }
                        engineEnv.put(kv[0], kv[1]);
                    }
                    default -> throw new IllegalArgumentException("unknown bench option: " + args[i]
                            + " (bench [--quick] [--n N] [--latency-ms L] [--webhook-clients C]"
                            + " [--engine-env CARELINE_NAME=value]...)");
                }
            }
            int ingest = n != null ? n : quick ? 2_000 : 20_000;
            // Webhooks: 2.5 statuses per SIU (50,000 for 20,000), half in POSTs of 1, half in POSTs of 100.
            int webhooks = n != null ? n * 5 / 2 : quick ? 5_000 : 50_000;
            int seconds = n != null ? 3 : quick ? 10 : 30;
            return new Options(quick, ingest, Math.max(100, ingest / 10), webhooks, seconds, 100, latency,
                    webhookClients, Map.copyOf(engineEnv));
        }
    }

    private final Options options;
    private final List<ScenarioResult> rows = new ArrayList<>();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase(Locale.ROOT);
    private int engines;
    private double peakHeap = Double.NaN;
    private double peakRss = Double.NaN;

    private BenchCommand(Options options) {
        this.options = options;
    }

    public static int run(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--stats")) {
            return StatsBench.run(args); // the dashboard's figures over a year of data (docs/performance.md)
        }
        Options options = Options.parse(args);
        if (!Files.isRegularFile(JAR) || !Files.isDirectory(Path.of("routes"))) {
            System.err.println("careline bench: run from the checkout root after `mvn -B -DskipTests package`"
                    + " (needs target/careline.jar, routes/, mappings/)");
            return 2;
        }
        new BenchCommand(options).runAll();
        return 0;
    }

    /**
     * The default site's zone for the run: a fixed-offset zone where it is now around midday, so the default
     * quiet hours (21:00-08:00) never hold a confirmation back while the benchmark runs.
     */
    static ZoneId middayZone(ZonedDateTime nowUtc) {
        int offset = 12 - nowUtc.getHour();
        if (offset > 14) {
            offset -= 24;
        } else if (offset < -12) {
            offset += 24;
        }
        return ZoneId.of(offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" + offset : "+" + (-offset)));
    }

    private void runAll() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(DIR);
        try (var files = Files.list(DIR)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("careline.") || name.endsWith(".log") || name.endsWith(".jfr")) {
                    Files.delete(p);
                }
            }
        }
        ZoneId zone = middayZone(ZonedDateTime.now(ZoneId.of("UTC")));
        SiuGenerator generator = new SiuGenerator(runId, zone, LocalDate.now(zone), 42);
        log("run %s: %s, site zone %s, Cloud API latency %d ms", runId, options.quick() ? "quick" : "full", zone,
                options.latencyMillis());

        double baseline = baseline(generator);

        // The default URL's options, but AUTO_SERVER=TRUE so the harness reads counts from the running engine's
        // database (the engine opens it embedded and serves it over TCP to the harness). H2 refuses AUTO_SERVER with
        // DB_CLOSE_ON_EXIT=FALSE; that option matters only for sends in flight at SIGTERM, and the harness stops an
        // engine only once its scenarios are over.
        String dbUrl = "jdbc:h2:file:" + DIR.toAbsolutePath().resolve("careline") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
        try (CloudApiStandIn cloud = new CloudApiStandIn(options.latencyMillis(), runId)) {
            Map<String, String> env = new HashMap<>();
            env.put("CARELINE_DB_URL", dbUrl);
            env.put("CARELINE_TIMEZONE", zone.getId());
            env.put("WHATSAPP_ACCESS_TOKEN", "bench-token");
            env.put("WHATSAPP_API_BASE", cloud.baseUrl());
            env.put("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
            env.put("WHATSAPP_APP_SECRET", APP_SECRET);
            env.put("CARELINE_PORTAL_LINK_SECRET", "bench-portal-secret-of-32-bytes!");
            // --engine-env: settings to try (e.g. CARELINE_SEND_PARALLELISM); a scenario's own settings still win.
            env.putAll(options.engineEnv());

            int due = ingest(generator, env, dbUrl, baseline, cloud);
            dispatchWebhooksE2e(generator, env, dbUrl, cloud, due);
            scale(generator, env, dbUrl, cloud);
        }
        rows.add(new ScenarioResult("memory", engines, Double.NaN, LatencyStats.NONE, null, null, peakHeap,
                peakRss, "N = engine processes; peaks over all of them (each -Xmx256m): heap = largest occupancy a GC found"
                        + " on entry (GC log), RSS = VmHWM"));

        String table = BenchReport.markdown(rows);
        BenchReport.writeJson(rows, DIR.resolve("results.json"));
        System.out.println();
        System.out.println(table);
        for (ScenarioResult r : rows) {
            if (r.note() != null && !r.note().isEmpty()) {
                System.out.println("- " + r.scenario() + ": " + r.note());
            }
        }
        log("results: %s; logs: %s (%.0f s)", DIR.resolve("results.json"), DIR, (System.nanoTime() - started) / 1e9);
    }

    /** Scenario 1's baseline: the bare Camel route in its own JVM, loaded exactly as the engine is. */
    private double baseline(SiuGenerator generator) throws Exception {
        int port = EngineUnderTest.freePort();
        try (EngineUnderTest server = EngineUnderTest.start("baseline", JAR, BaselineServer.class.getName(),
                List.of(String.valueOf(port), DIR.toString()), List.of(), Map.of(), DIR)) {
            server.awaitPort(port, Duration.ofSeconds(60));
            MllpLoad.run("127.0.0.1", port, CONNECTIONS, options.warmupN(), i -> generator.generate(i).text(), 0);
            MllpLoad.Result r = MllpLoad.run("127.0.0.1", port, CONNECTIONS, options.ingestN(),
                    i -> generator.generate(i).text(), 0);
            log("baseline: %d sent, %d AA, %.0f msg/s, heap %.0f MiB, RSS %.0f MiB %s", r.sent(), r.accepted(),
                    r.throughputPerSecond(), server.peakHeapMiB(), server.peakRssMiB(), r.firstErrors());
            return r.throughputPerSecond();
        }
    }

    /** Scenario 1: bookings in, each committed with its reminders before the ACK; the dispatcher held off. */
    private int ingest(SiuGenerator generator, Map<String, String> baseEnv, String dbUrl, double baseline,
                       CloudApiStandIn cloud) throws Exception {
        Map<String, String> env = new HashMap<>(baseEnv);
        // Ingest only: nothing is sent during scenario 1. A committed booking starts a dispatch round at once, so a
        // slow timer is not enough: the stand-in answers the first send with 368 and the engine pauses sending.
        env.put("CARELINE_DISPATCH_INTERVAL_MS", "86400000");
        cloud.hold(true);
        try (EngineUnderTest engine = startEngine("engine-ingest", env)) {
            int warm = options.warmupN();
            int n = options.ingestN();
            // Warm-up: indices after the measured ones, so every message of the run is a new booking.
            MllpLoad.run("127.0.0.1", mllpPort(env), CONNECTIONS, warm, i -> generator.generate(n + i).text(), 0);
            MllpLoad.Result r = MllpLoad.run("127.0.0.1", mllpPort(env), CONNECTIONS, n,
                    i -> generator.generate(i).text(), 0);
            int due;
            try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
                due = (int) count(c, "SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND status = 'PENDING'");
            }
            String note = String.format(Locale.ROOT, "%d AA of %d (+%d warm-up), %d confirmations due, %d sends"
                    + " during ingest (%d answered 368, which paused sending)%s", r.accepted(), r.sent(), warm, due,
                    cloud.count(), cloud.refused(), r.firstErrors().isEmpty() ? "" : "; errors " + r.firstErrors());
            add(new ScenarioResult("ingest", n, r.throughputPerSecond(), LatencyStats.ofNanos(r.ackLatencyNanos()),
                    baseline, null, engine.peakHeapMiB(), engine.peakRssMiB(), note));
            engine.stop();
            // The claim query with scenario 1's confirmations all due: what scenario 5 compares against.
            try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
                claimWithoutStored = timeClaimQuery(c);
            }
            return due;
        } finally {
            cloud.hold(false);
        }
    }

    /** Scenarios 2-4 on one engine restarted on scenario 1's database with dispatch on and the cap at 1,000/s. */
    private void dispatchWebhooksE2e(SiuGenerator generator, Map<String, String> baseEnv, String dbUrl,
                                     CloudApiStandIn cloud, int due) throws Exception {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("CARELINE_SEND_RATE_PER_SECOND", "1000");
        int before = cloud.count();
        try (EngineUnderTest engine = startEngine("engine-dispatch", env)) {
            awaitCount(() -> cloud.count() - before, due, "dispatch sends");
            List<CloudApiStandIn.Send> sends = cloud.sendsSince(before);
            long[] arrivals = sends.stream().mapToLong(CloudApiStandIn.Send::arrivedNanos).sorted().toArray();
            long first = arrivals.length == 0 ? 0 : arrivals[0];
            long last = arrivals.length == 0 ? 0 : arrivals[arrivals.length - 1];
            long[] sinceFirst = Arrays.stream(arrivals).map(a -> a - first).toArray();
            add(new ScenarioResult("dispatch", sends.size(),
                    arrivals.length < 2 ? Double.NaN : (arrivals.length - 1) * 1e9 / (last - first),
                    LatencyStats.ofNanos(sinceFirst), null, SecondWindows.maxPerSecond(arrivals),
                    engine.peakHeapMiB(), engine.peakRssMiB(), String.format(Locale.ROOT,
                    "%d of %d due sent; cap 1000/s; latency = arrival at the stand-in after the first send's",
                    sends.size(), due)));

            try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
                webhooks(engine, c, env, sends);
            }
            e2e(engine, generator, env, cloud);
        }
    }

    private void webhooks(EngineUnderTest engine, Connection db, Map<String, String> env,
                          List<CloudApiStandIn.Send> sends) throws Exception {
        List<String[]> statuses = new ArrayList<>(sends.size() * 3);
        for (CloudApiStandIn.Send s : sends) {
            for (String status : WebhookLoad.STATUSES) {
                statuses.add(new String[]{s.wamid(), status, s.recipientDigits()});
            }
        }
        int total = Math.min(options.webhookN(), statuses.size());
        int half = total / 2;
        String url = "http://127.0.0.1:" + env.get("CARELINE_HTTP_PORT") + "/webhooks/whatsapp";
        int[][] parts = {{0, half, 1}, {half, total - half, 100}};
        for (int[] part : parts) {
            List<String[]> slice = statuses.subList(part[0], part[0] + part[1]);
            int perPost = part[2];
            long stored = count(db, "SELECT COUNT(*) FROM message_status");
            WebhookLoad.Result r = WebhookLoad.run(url, APP_SECRET, PHONE_NUMBER_ID, slice, perPost,
                    options.webhookClients());
            awaitCount(() -> count(db, "SELECT COUNT(*) FROM message_status") - stored, slice.size(),
                    "statuses applied");
            long applied = System.nanoTime();
            long unprocessed = count(db, "SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL");
            long read = count(db, "SELECT COUNT(*) FROM outbox WHERE delivery_status = 'read'");
            add(new ScenarioResult("webhooks x" + perPost, slice.size(), slice.size() * 1e9 / (applied - r.startNanos()),
                    LatencyStats.ofNanos(r.latencyNanos()), null, null, engine.peakHeapMiB(), engine.peakRssMiB(),
                    String.format(Locale.ROOT, "%d POSTs (%d answered 200, %.0f POST/s) of %d status(es) each, %d "
                                    + "clients; throughput = statuses applied/s until message_status held them all; "
                                    + "%d deliveries unprocessed then, outbox rows read so far %d%s",
                            r.posts(), r.ok(), r.posts() * 1e9 / (r.endNanos() - r.startNanos()), perPost,
                            options.webhookClients(), unprocessed, read, r.errors().isEmpty() ? "" : "; errors " + r.errors())));
        }
    }

    private void e2e(EngineUnderTest engine, SiuGenerator generator, Map<String, String> env, CloudApiStandIn cloud)
            throws Exception {
        int count = options.e2eSeconds() * options.e2eRate();
        int offset = options.ingestN() + options.warmupN();
        if (offset + count > SiuGenerator.DISTINCT_PHONES) {
            throw new IllegalStateException("too many messages for distinct phones: " + (offset + count));
        }
        int before = cloud.count();
        MllpLoad.Result r = MllpLoad.run("127.0.0.1", mllpPort(env), CONNECTIONS, count,
                i -> generator.generate(offset + i).text(), 1_000_000_000L / options.e2eRate());
        Map<String, Long> ackAt = new HashMap<>();
        for (int i = 0; i < count; i++) {
            ackAt.put(SiuGenerator.phoneDigits(offset + i), r.ackArrivedNanos()[i]);
        }
        awaitCount(() -> cloud.sendsSince(before).stream()
                .filter(s -> ackAt.containsKey(s.recipientDigits())).count(), count, "e2e confirmations");
        List<Long> latencies = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CloudApiStandIn.Send s : cloud.sendsSince(before)) {
            Long ack = ackAt.get(s.recipientDigits());
            if (ack != null && seen.add(s.recipientDigits())) {
                latencies.add(s.arrivedNanos() - ack);
            }
        }
        add(new ScenarioResult("e2e", count, r.accepted() * 1e9 / (r.endNanos() - r.startNanos()),
                LatencyStats.ofNanos(latencies.stream().mapToLong(Long::longValue).toArray()), null, null,
                engine.peakHeapMiB(), engine.peakRssMiB(), String.format(Locale.ROOT,
                "SIU at %d/s for %d s; latency = ACK received -> Cloud API request for that patient; %d of %d"
                        + " confirmations seen; ACK p99 %.1f ms", options.e2eRate(), options.e2eSeconds(),
                latencies.size(), count, LatencyStats.ofNanos(r.ackLatencyNanos()).p99Millis())));
    }

    /**
     * Scenario 5: 1,000,000 future reminders stored (written straight into the stopped engine's database), then
     * the dispatcher's claim query timed and scenario 1's ingest run again, each against the figures without them.
     */
    private void scale(SiuGenerator generator, Map<String, String> baseEnv, String dbUrl, CloudApiStandIn cloud)
            throws Exception {
        int stored = options.quick() ? 100_000 : SCALE_STORED;
        LatencyStats claimBefore = claimWithoutStored;
        try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
            long t0 = System.nanoTime();
            seedFutureReminders(c, stored);
            log("scale: %d future reminders stored in %.0f s", stored, (System.nanoTime() - t0) / 1e9);
        }
        double emptyThroughput = rows.stream().filter(r -> r.scenario().equals("ingest")).findFirst()
                .map(ScenarioResult::throughputPerSecond).orElse(Double.NaN);
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("CARELINE_DISPATCH_INTERVAL_MS", "86400000");
        cloud.hold(true);
        try (EngineUnderTest engine = startEngine("engine-scale", env)) {
            int n = options.ingestN();
            int offset = options.ingestN() + options.warmupN() + options.e2eSeconds() * options.e2eRate();
            MllpLoad.run("127.0.0.1", mllpPort(env), CONNECTIONS, options.warmupN(),
                    i -> generator.generate(offset + n + i).text(), 0);
            MllpLoad.Result r = MllpLoad.run("127.0.0.1", mllpPort(env), CONNECTIONS, n,
                    i -> generator.generate(offset + i).text(), 0);
            double heap = engine.peakHeapMiB();
            double rss = engine.peakRssMiB();
            engine.stop();
            // Timed as in scenario 1: on the stopped engine's database, opened directly (not over AUTO_SERVER).
            LatencyStats claimAfter;
            try (Connection c = DriverManager.getConnection(dbUrl, "careline", "")) {
                claimAfter = timeClaimQuery(c);
            }
            add(new ScenarioResult("scale ingest", n, r.throughputPerSecond(),
                    LatencyStats.ofNanos(r.ackLatencyNanos()), emptyThroughput, null, heap,
                    rss, String.format(Locale.ROOT, "scenario 1 again with %d future reminders "
                            + "stored; baseline/ratio = scenario 1 on the database without them; %d AA of %d",
                    stored, r.accepted(), r.sent())));
            add(new ScenarioResult("scale claim", stored, 1000.0 / Math.max(claimAfter.p50Millis(), 1e-3),
                    claimAfter, 1000.0 / Math.max(claimBefore.p50Millis(), 1e-3), null, heap,
                    rss, String.format(Locale.ROOT, "the dispatcher's claim query (the 500 oldest "
                            + "due rows) timed %d times with this scenario's confirmations due and %d future reminders "
                            + "stored; throughput = queries/s at p50; baseline/ratio = the same at the end of scenario 1, "
                            + "as many confirmations due and none of them stored (p50 %.2f ms)", CLAIM_RUNS, stored,
                    claimBefore.p50Millis())));
        } finally {
            cloud.hold(false);
        }
    }

    private static final int SCALE_STORED = 1_000_000;
    private LatencyStats claimWithoutStored = LatencyStats.NONE;
    private static final int CLAIM_RUNS = 200;

    /** The claim query exactly as the dispatcher runs it (Outbox.claimDue), timed. */
    private static LatencyStats timeClaimQuery(Connection c) throws SQLException {
        long[] took = new long[CLAIM_RUNS];
        try (PreparedStatement ps = c.prepareStatement(Outbox.claimDueSql(500))) {
            for (int i = 0; i < CLAIM_RUNS; i++) {
                long t0 = System.nanoTime();
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
                took[i] = System.nanoTime() - t0;
            }
        }
        return LatencyStats.ofNanos(took);
    }

    /** {@code count} PENDING reminders due 30 days and more from now, spread over the stored appointments. */
    private static void seedFutureReminders(Connection c, int count) throws SQLException {
        long appointments = count(c, "SELECT MAX(id) FROM appointment");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (appointment_id, recipient_phone, kind, "
                + "label, due_at, status, attempts, created_at, updated_at) SELECT 1 + MOD(X, ?), '+16082710000', "
                + "'REMINDER', 'seeded', DATEADD(SECOND, X, CAST(? AS TIMESTAMP WITH TIME ZONE)), 'PENDING', 0, ?, ? "
                + "FROM SYSTEM_RANGE(1, ?)")) {
            int chunk = 100_000;
            for (int from = 0; from < count; from += chunk) {
                ps.setLong(1, appointments);
                ps.setObject(2, now.plusDays(30).plusSeconds(from));
                ps.setObject(3, now);
                ps.setObject(4, now);
                ps.setInt(5, Math.min(chunk, count - from));
                ps.executeUpdate();
                c.commit();
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    private EngineUnderTest startEngine(String name, Map<String, String> env) throws Exception {
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineUnderTest.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineUnderTest.freePort()));
        String jfr = System.getenv("CARELINE_BENCH_JFR");
        List<String> jvm = jfr == null ? List.of() : List.of("-XX:StartFlightRecording=filename="
                + DIR.toAbsolutePath().resolve(name + ".jfr") + ",settings=profile");
        EngineUnderTest engine = EngineUnderTest.start(name, JAR, null, List.of(), jvm, env, DIR);
        engine.awaitHttp200("http://127.0.0.1:" + env.get("CARELINE_HTTP_PORT") + "/health", Duration.ofSeconds(90));
        log("%s started (pid %d)", name, engine.pid());
        engines++;
        return engine;
    }

    private static int mllpPort(Map<String, String> env) {
        return Integer.parseInt(env.get("CARELINE_MLLP_PORT"));
    }

    private void add(ScenarioResult r) {
        rows.add(r);
        peakHeap = max(peakHeap, r.peakHeapMiB());
        peakRss = max(peakRss, r.peakRssMiB());
        log("%s: n=%d %.0f/s p50 %.1f p99 %.1f max %.1f ms — %s", r.scenario(), r.n(), r.throughputPerSecond(),
                r.latency().p50Millis(), r.latency().p99Millis(), r.latency().maxMillis(), r.note());
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** Polls until the count reaches {@code target}; gives up when it has not moved for 30 s. */
    private static void awaitCount(Checked counter, long target, String what) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (true) {
            long now = counter.get();
            if (now >= target) {
                return;
            }
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > NO_PROGRESS.toNanos()) {
                log("%s: stuck at %d of %d for %d s; going on", what, now, target, NO_PROGRESS.toSeconds());
                return;
            }
            Thread.sleep(50); // polling a count the engine moves; bounded by the no-progress limit above
        }
    }

    @FunctionalInterface
    private interface Checked {
        long get() throws Exception;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void log(String format, Object... args) {
        // The UTC time lets a scenario's stretch be cut out of the engine's JFR recording (CARELINE_BENCH_JFR=1).
        System.out.printf(Locale.ROOT, "bench %s: " + format + "%n", prepend(java.time.LocalTime.now(ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS), args));
    }
}
