package org.careline.reliability;

import org.careline.reliability.Hl7Mutator.Kind;
import org.careline.reliability.Hl7Mutator.Mutant;
import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bad HL7 and broken MLLP framing against the packaged engine over real sockets (issue 7, item 4).
 * <ol>
 * <li>Inputs mutated from the corpus ({@link Hl7Mutator}, seeded) go in as proper frames over a few reused
 * connections at once. Each is answered by one ACK: MSA-1 AA, AE or AR; AE/AR with an ERR segment; never a stack
 * trace; AA only for a mutant that may still be a valid SIU/ORU. The engine keeps the connection open after a bad
 * message (asserted: it closes none).</li>
 * <li>Broken framing, each on its own connection while the inputs flow: bytes without a start block, a start block
 * and then silence, data after an end block, a client that sends nothing, a client that sends one byte a second.
 * The engine closes a broken or idle connection after its timeout (CARELINE_MLLP_IDLE_TIMEOUT_MS, the route's
 * readTimeout), a new connection works after each, and the slow client holds up nobody.</li>
 * <li>Throughout, GET /health stays 200; threads and heap at the end are within a bound of the start.</li>
 * <li>Afterwards a valid SIU still goes through: AA, and its appointment is in the database.</li>
 * </ol>
 * The log must hold no patient name or phone number from the corpus and no configured secret.
 */
class BadHl7ReliabilityIT {

    private static final Path CORPUS = Path.of("..", "shared", "corpus", "hl7");
    private static final long SEED = 0x7A11_0004L;
    private static final int WORKERS = 4;
    /** The engine's idle timeout in this run (CARELINE_MLLP_IDLE_TIMEOUT_MS). */
    private static final int IDLE_MS = 4000;
    /** The route's readTimeout: a started frame with no byte for this long is a broken connection. */
    private static final int READ_TIMEOUT_MS = 5000;
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final int MAX_THREAD_GROWTH = 20;
    private static final long MAX_HEAP_GROWTH_BYTES = 64L << 20;

    private static final String TOKEN = "EAAG-badhl7-token-7d41c9e2f0";
    private static final String APP_SECRET = "badhl7-app-secret-5b2e81";
    private static final String VERIFY_TOKEN = "badhl7-verify-token-91aa";
    private static final String PORTAL_SECRET = "badhl7-portal-secret-33f0c-9d41a7";
    private static final String DB_PASSWORD = "badhl7-dbpass-0c7e55";

    @TempDir
    Path tmp;

    private EngineProcess engine;
    private MetaStub meta;
    private ExecutorService pool;

    @AfterEach
    void cleanUp() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (engine != null) {
            engine.close();
        }
        if (meta != null) {
            meta.close();
        }
    }

    @Test
    void badMessagesAndBrokenFramingAreAnsweredOrClosedAndTheEngineStaysWell() throws Exception {
        List<Path> files = corpusFiles();
        assumeTrue(!files.isEmpty(), "no HL7 corpus at " + CORPUS.toAbsolutePath());
        List<Hl7Mutator.Base> bases = new ArrayList<>();
        for (Path f : files) {
            bases.add(Hl7Mutator.base(f.getFileName().toString(), decode(Files.readAllBytes(f))));
        }
        Hl7Mutator mutator = new Hl7Mutator(SEED, bases);
        int n = SuiteSize.pick(1_000, 10_000);

        SecretsInLogs secrets = new SecretsInLogs();
        bases.forEach(b -> watchPatient(secrets, b.text()));
        secrets.watchAll(List.of(TOKEN, APP_SECRET, VERIFY_TOKEN, PORTAL_SECRET, DB_PASSWORD));
        // The valid SIU of the framing faults and the final check (Siu's defaults).
        secrets.watch("DOE^JANE^Q").watchPhone("+16082719000").watch("6082719000").watch("1 Main St");

        meta = new MetaStub();
        String dbUrl = "jdbc:h2:file:" + tmp.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        engine = EngineProcess.startJar(env(dbUrl), tmp, "badhl7");
        engine.awaitHealthy(BOOT);
        int port = engine.mllpPort();

        HealthPoller health = new HealthPoller(engine.httpPort());
        Thread healthThread = new Thread(health, "health-poller");
        healthThread.setDaemon(true);
        healthThread.start();

        // Warm-up: every corpus message as it is (own control id), on one connection; what the engine makes of the
        // good messages is reported, and the pools a connection needs exist before the first sample.
        Map<String, Integer> originals = new java.util.TreeMap<>();
        try (MllpClient c = new MllpClient(port)) {
            for (int b = 0; b < mutator.baseCount(); b++) {
                String id = "RBO-" + b;
                String ack = c.send(mutator.original(b, id));
                assertThat(MllpClient.field(ack, "MSA", 2)).as("ACK of original %d: %s", b, ack).isEqualTo(id);
                originals.merge(MllpClient.field(ack, "MSA", 1), 1, Integer::sum);
            }
        }
        Sample start = Sample.of(engine);

        // 1 + 2: mutated inputs on WORKERS connections, framing faults beside them.
        pool = Executors.newFixedThreadPool(WORKERS + 1);
        Tally tally = new Tally();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(pool.submit(() -> {
                sendMutants(port, mutator, n, next, tally, halfway);
                return null;
            }));
        }
        Framing framing = new Framing(port, tally, () -> next.get() < n);
        Future<?> faults = pool.submit(() -> {
            framing.run();
            return null;
        });
        halfway.await(10, TimeUnit.MINUTES);
        Sample middle = Sample.of(engine);
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.MINUTES);
        }
        double inputSeconds = (System.nanoTime() - t0) / 1e9;
        faults.get(10, TimeUnit.MINUTES);

        // Every client is closed: no connection handler may still run, and threads come back near the start.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Sample.threads(engine)[1] == 0);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> Sample.threads(engine)[0] <= start.threads() + MAX_THREAD_GROWTH);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("threads did not come back near the start (" + start.threads() + " + "
                    + MAX_THREAD_GROWTH + "); the engine's threads by name: " + Sample.threadNames(engine), e);
        }
        Sample end = Sample.of(engine);

        // 4: a valid SIU still goes through end to end.
        Siu after = Siu.booking(Instant.now().plus(Duration.ofDays(5))).facility("Nowhere");
        String afterAck;
        try (MllpClient c = new MllpClient(port)) {
            afterAck = c.send(after.build());
        }
        health.stop();
        healthThread.join(10_000);
        int exit = engine.stop(Duration.ofSeconds(60));
        long stored;
        try (Connection c = DriverManager.getConnection(dbUrl, "careline", DB_PASSWORD);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM appointment WHERE external_id = ?")) {
            ps.setString(1, after.fillerId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stored = rs.getLong(1);
            }
        }
        String log = engine.stdout() + engine.stderr();
        // Kept for reading after a failure (test data only, no real patient's).
        Files.createDirectories(Path.of("target", "reliability"));
        Files.writeString(Path.of("target", "reliability", "bad-hl7-engine.log"), log);
        List<String> leaked = secrets.foundIn(log);

        SuiteSummary summary = new SuiteSummary("bad-hl7")
                .put("inputs sent", n)
                .put("answered", tally.answered.sum())
                .put("AA", tally.aa.sum()).put("AE", tally.ae.sum()).put("AR", tally.ar.sum())
                .put("ERR present", tally.errPresent.sum())
                .put("unanswered", tally.unanswered.sum())
                .put("AA not allowed", tally.aaNotAllowed.sum())
                .put("stack traces", tally.stackTraces.sum())
                .put("wrong MSA-2", tally.wrongControlId.sum())
                .put("input connections closed by engine", tally.closedByEngine.sum())
                .put("framing faults", framing.faults)
                .put("broken/idle closed cleanly (FIN)", framing.closedFin)
                .put("closed by reset", framing.closedReset)
                .put("not closed", framing.notClosed)
                .put("acks during slow client", framing.acksDuringSlowClient)
                .put("health polls", health.polls.get())
                .put("health failures", health.failures.get())
                .put("threads start/mid/end", start.threads() + "/" + middle.threads() + "/" + end.threads())
                .put("heap MiB start/mid/end", start.heapMiB() + "/" + middle.heapMiB() + "/" + end.heapMiB())
                .put("RSS MiB start/end", start.rssMiB() + "/" + end.rssMiB())
                .put("inputs/s", Math.round(n / inputSeconds))
                .put("watched values", secrets.size())
                .put("leaked to log", leaked.size());
        summary.report();
        System.out.println("[reliability] bad-hl7 originals: " + originals + "; by kind (AA/AE/AR): " + tally.byKind());
        System.out.println("[reliability] bad-hl7 framing: " + framing.notes);
        tally.failures.stream().limit(20).forEach(f -> System.out.println("[reliability] bad-hl7 FAIL " + f));

        assertThat(tally.failures).as("inputs answered wrongly (first 20 printed)").isEmpty();
        assertThat(tally.answered.sum()).isEqualTo(n);
        assertThat(tally.errPresent.sum()).isEqualTo(tally.ae.sum() + tally.ar.sum());
        assertThat(tally.closedByEngine.sum()).as("the engine keeps a connection open after a bad message").isZero();
        assertThat(framing.problems).as("framing faults").isEmpty();
        assertThat(framing.notClosed).isZero();
        assertThat(health.failures.get()).as("GET /health answers other than 200").isZero();
        assertThat(health.polls.get()).isPositive();
        assertThat(end.threads()).as("threads at the end vs start (%s)", start.threads())
                .isLessThanOrEqualTo(start.threads() + MAX_THREAD_GROWTH);
        assertThat(end.heapUsed()).as("heap used after GC at the end vs start (%s)", start.heapUsed())
                .isLessThanOrEqualTo(start.heapUsed() + MAX_HEAP_GROWTH_BYTES);
        assertThat(MllpClient.field(afterAck, "MSA", 1)).as("valid SIU after the run: %s", afterAck).isEqualTo("AA");
        assertThat(MllpClient.field(afterAck, "MSA", 2)).isEqualTo(after.controlId());
        assertThat(exit).as("exit after SIGTERM").isIn(0, 143);
        assertThat(stored).as("appointment %s stored", after.fillerId()).isEqualTo(1);
        assertThat(leaked).as("PHI or secrets in the engine's log (target/reliability/bad-hl7-engine.log)").isEmpty();
    }

    // ---- 1: mutated inputs ----

    private static void sendMutants(int port, Hl7Mutator mutator, int n, AtomicInteger next, Tally tally,
                                    CountDownLatch halfway) throws IOException {
        MllpClient client = new MllpClient(port);
        try {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                if (i == n / 2) {
                    halfway.countDown();
                }
                Mutant m = mutator.mutant(i);
                String ack;
                try {
                    ack = client.send(m.bytes());
                } catch (IOException e) {
                    tally.unanswered.increment();
                    tally.fail(m, "no ACK: " + e.getClass().getSimpleName() + " " + e.getMessage());
                    if (!isOpen(client)) {
                        tally.closedByEngine.increment();
                    }
                    client.close();
                    client = new MllpClient(port);
                    continue;
                }
                tally.check(m, ack);
            }
        } finally {
            halfway.countDown();
            client.close();
        }
    }

    private static boolean isOpen(MllpClient c) {
        return c.isOpen();
    }

    /** Counts of what came back, and each wrong answer. */
    static final class Tally {
        final LongAdder answered = new LongAdder();
        final LongAdder aa = new LongAdder();
        final LongAdder ae = new LongAdder();
        final LongAdder ar = new LongAdder();
        final LongAdder errPresent = new LongAdder();
        final LongAdder unanswered = new LongAdder();
        final LongAdder aaNotAllowed = new LongAdder();
        final LongAdder stackTraces = new LongAdder();
        final LongAdder wrongControlId = new LongAdder();
        final LongAdder closedByEngine = new LongAdder();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final Map<Kind, LongAdder[]> kinds = new EnumMap<>(Kind.class);

        Tally() {
            for (Kind k : Kind.values()) {
                kinds.put(k, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
            }
        }

        void fail(Mutant m, String why) {
            failures.add("input " + m.index() + " " + m.kind() + " from " + m.base() + ": " + why);
        }

        void check(Mutant m, String ack) {
            answered.increment();
            String code = MllpClient.field(ack, "MSA", 1);
            String printable = ack.replace('\r', '/');
            if (ack.contains("Exception") || ack.contains("at org.") || ack.contains("\tat ")) {
                stackTraces.increment();
                fail(m, "stack trace in ACK " + printable);
            }
            if ("AA".equals(code)) {
                aa.increment();
                kinds.get(m.kind())[0].increment();
                String why = acceptable(m, ack);
                if (why != null) {
                    aaNotAllowed.increment();
                    fail(m, "AA but " + why + ": " + printable);
                }
            } else if ("AE".equals(code) || "AR".equals(code)) {
                (code.equals("AE") ? ae : ar).increment();
                kinds.get(m.kind())[code.equals("AE") ? 1 : 2].increment();
                if (ack.contains("\rERR|")) {
                    errPresent.increment();
                } else {
                    fail(m, code + " without ERR: " + printable);
                }
            } else {
                fail(m, "MSA-1 is '" + code + "': " + printable);
            }
            if (m.controlId() != null && !m.controlId().equals(MllpClient.field(ack, "MSA", 2))) {
                wrongControlId.increment();
                fail(m, "MSA-2 is not " + m.controlId() + ": " + printable);
            }
        }

        /** Why an AA to this mutant is wrong, or null if it may be accepted. */
        private static String acceptable(Mutant m, String ack) {
            if (!m.mayBeAccepted()) {
                return m.kind() + " can never be a valid message";
            }
            String text = new String(m.bytes(), StandardCharsets.ISO_8859_1).replace("\r\n", "\r").replace('\n', '\r');
            // The field and component separators this check reads MSH-9/10 by; MSH-2's other encoding characters
            // (repetition, escape, subcomponent) may be any character and the message still valid.
            if (!text.startsWith("MSH|^")) {
                return "the input has no MSH with | and ^ as separators";
            }
            String type = MllpClient.field(text, "MSH", 9);
            if (type == null || !(type.startsWith("SIU^") || type.startsWith("ORU^"))) {
                return "MSH-9 is '" + type + "', not SIU/ORU";
            }
            String id = MllpClient.field(text, "MSH", 10);
            if (id == null || !id.equals(MllpClient.field(ack, "MSA", 2))) {
                return "MSA-2 does not name the input's MSH-10 '" + id + "'";
            }
            return null;
        }

        String byKind() {
            StringBuilder b = new StringBuilder();
            kinds.forEach((k, c) -> b.append(k).append(' ').append(c[0].sum()).append('/').append(c[1].sum())
                    .append('/').append(c[2].sum()).append("; "));
            return b.toString();
        }
    }

    // ---- 2: broken framing ----

    /** How a connection ended while the client waited on it. */
    enum End { FIN, RESET, DATA, STILL_OPEN }

    /** The framing faults, one after the other, each on its own connection, while the inputs flow. */
    static final class Framing {
        private static final byte SB = 0x0b;
        private static final byte EB = 0x1c;
        private static final byte CR = 0x0d;

        final int port;
        final Tally tally;
        final java.util.function.BooleanSupplier inputsRunning;
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        int faults;
        int closedFin;
        int closedReset;
        int notClosed;
        long acksDuringSlowClient;

        Framing(int port, Tally tally, java.util.function.BooleanSupplier inputsRunning) {
            this.port = port;
            this.tally = tally;
            this.inputsRunning = inputsRunning;
        }

        void run() throws Exception {
            slowClient(); // first, while the inputs still flow on the other connections
            noStartBlockOnANewConnection();
            noStartBlockOnAnEstablishedConnection();
            noEndBlock();
            noEndBlockAfterAMessage();
            dataAfterTheEndBlock();
            silentClient();
        }

        /** Bytes and an end block, no start block, as the first thing on a connection: no ACK, the engine closes. */
        private void noStartBlockOnANewConnection() throws Exception {
            faults++;
            try (Socket s = connect()) {
                write(s, concat(siu().build().getBytes(StandardCharsets.UTF_8), new byte[] {EB, CR}));
                expectClosed("no start block (new connection)", s, Duration.ofSeconds(30), 0);
            }
            newConnectionWorks("no start block (new connection)");
        }

        /** The same on a connection that already sent a message: ignored, and the next proper frame is answered. */
        private void noStartBlockOnAnEstablishedConnection() throws Exception {
            faults++;
            try (MllpClient c = new MllpClient(port)) {
                expectAa("before unframed bytes", c.send(siu().build()));
                Siu next = siu();
                // Raw unframed bytes, then a proper frame, on the same socket.
                byte[] raw = concat(siu().build().getBytes(StandardCharsets.UTF_8), new byte[] {EB, CR});
                String ack = c.sendAfter(raw, next.build().getBytes(StandardCharsets.UTF_8));
                expectAa("frame after unframed bytes", ack);
                if (!next.controlId().equals(MllpClient.field(ack, "MSA", 2))) {
                    problems.add("frame after unframed bytes answered for another message: " + ack);
                }
                notes.add("unframed bytes on an established connection: ignored, connection kept, next frame answered");
            }
        }

        /** A start block and part of a message, then silence: closed after the read timeout, no ACK. */
        private void noEndBlock() throws Exception {
            faults++;
            try (Socket s = connect()) {
                byte[] msg = siu().build().getBytes(StandardCharsets.UTF_8);
                write(s, concat(new byte[] {SB}, msg));
                expectClosed("no end block (new connection)", s, Duration.ofSeconds(READ_TIMEOUT_MS / 1000 + 30),
                        READ_TIMEOUT_MS - 500);
            }
            newConnectionWorks("no end block");
        }

        private void noEndBlockAfterAMessage() throws Exception {
            faults++;
            try (Socket s = connect()) {
                Siu first = siu();
                write(s, frame(first.build().getBytes(StandardCharsets.UTF_8)));
                expectAa("before a frame without end", readFrame(s, Duration.ofSeconds(15)));
                write(s, concat(new byte[] {SB}, siu().build().getBytes(StandardCharsets.UTF_8)));
                expectClosed("no end block (established connection)", s,
                        Duration.ofSeconds(READ_TIMEOUT_MS / 1000 + 30), READ_TIMEOUT_MS - 500);
            }
            newConnectionWorks("no end block after a message");
        }

        /**
         * On an established connection, a frame followed by bytes that start no frame: the frame is answered, the
         * rest ignored, the connection kept.
         */
        private void dataAfterTheEndBlock() throws Exception {
            faults++;
            try (Socket s = connect()) {
                write(s, frame(siu().build().getBytes(StandardCharsets.UTF_8)));
                expectAa("before a frame followed by data", readFrame(s, Duration.ofSeconds(15)));
                byte[] trailing = ("PID|1||X||DOE^JANE^Q||19800101|F\rNTE|1||trailing").getBytes(StandardCharsets.UTF_8);
                write(s, concat(frame(siu().build().getBytes(StandardCharsets.UTF_8)), trailing));
                expectAa("frame followed by data", readFrame(s, Duration.ofSeconds(15)));
                Siu third = siu();
                write(s, frame(third.build().getBytes(StandardCharsets.UTF_8)));
                String ack = readFrame(s, Duration.ofSeconds(15));
                expectAa("next frame after trailing data", ack);
                if (ack != null && !third.controlId().equals(MllpClient.field(ack, "MSA", 2))) {
                    problems.add("next frame after trailing data answered for another message: " + ack);
                }
                notes.add("data after the end block: frame answered, trailing bytes ignored, connection kept");
            }
        }

        /** Connects and sends nothing: closed after the idle timeout, not before. */
        private void silentClient() throws Exception {
            faults++;
            try (Socket s = connect()) {
                expectClosed("silent client", s, Duration.ofMillis(2L * IDLE_MS + 30_000), IDLE_MS - 200);
            }
            newConnectionWorks("silent client");
        }

        /**
         * After one message, a frame dribbled one byte a second: other connections are answered meanwhile (the
         * inputs, and a fresh connection's SIU); when it goes quiet it is closed after the read timeout.
         */
        private void slowClient() throws Exception {
            faults++;
            int seconds = SuiteSize.pick(8, 20);
            try (Socket s = connect()) {
                write(s, frame(siu().build().getBytes(StandardCharsets.UTF_8)));
                expectAa("slow client's first message", readFrame(s, Duration.ofSeconds(15)));
                byte[] dribble = concat(new byte[] {SB}, siu().build().getBytes(StandardCharsets.UTF_8));
                long before = tally.answered.sum();
                String freshAck = null;
                for (int i = 0; i < seconds && i < dribble.length; i++) {
                    write(s, new byte[] {dribble[i]});
                    if (i == seconds / 2) {
                        try (MllpClient c = new MllpClient(port)) {
                            freshAck = c.send(siu().build());
                        }
                    }
                    Thread.sleep(1000); // the slow client's pace: one byte a second
                }
                acksDuringSlowClient = tally.answered.sum() - before;
                if (inputsRunning.getAsBoolean() && acksDuringSlowClient == 0) {
                    problems.add("no input was answered in the " + seconds + " s the slow client sent its frame");
                }
                expectAa("another connection while the slow client sends", freshAck);
                expectClosed("slow client gone quiet", s, Duration.ofSeconds(READ_TIMEOUT_MS / 1000 + 30),
                        READ_TIMEOUT_MS - 1500);
            }
            newConnectionWorks("slow client");
        }

        private void newConnectionWorks(String after) throws IOException {
            try (MllpClient c = new MllpClient(port)) {
                expectAa("new connection after " + after, c.send(siu().build()));
            }
        }

        private void expectAa(String what, String ack) {
            if (ack == null || !"AA".equals(MllpClient.field(ack, "MSA", 1))) {
                problems.add(what + ": expected AA, got " + (ack == null ? "nothing" : ack.replace('\r', '/')));
            }
        }

        /** Waits for the engine to close {@code s}; at least {@code notBeforeMs} must pass, and no data arrive. */
        private void expectClosed(String what, Socket s, Duration max, long notBeforeMs) throws IOException {
            long t0 = System.nanoTime();
            End end = awaitEnd(s, max);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            notes.add(what + ": " + end + " after " + ms + " ms");
            switch (end) {
                case FIN -> closedFin++;
                case RESET -> closedReset++;
                case STILL_OPEN -> {
                    notClosed++;
                    problems.add(what + ": still open after " + max);
                }
                case DATA -> problems.add(what + ": the engine sent data instead of closing");
                default -> throw new IllegalStateException();
            }
            if ((end == End.FIN || end == End.RESET) && ms < notBeforeMs) {
                problems.add(what + ": closed after " + ms + " ms, before its timeout (" + notBeforeMs + " ms)");
            }
        }

        private Socket connect() throws IOException {
            return new Socket("127.0.0.1", port);
        }
    }

    private static Siu siu() {
        return Siu.booking(Instant.now().plus(Duration.ofDays(4))).facility("Nowhere");
    }

    static End awaitEnd(Socket s, Duration max) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        InputStream in = s.getInputStream();
        while (System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                int b = in.read();
                return b < 0 ? End.FIN : End.DATA;
            } catch (SocketTimeoutException stillOpen) {
                // keep waiting until the deadline
            } catch (SocketException reset) {
                return End.RESET;
            }
        }
        return End.STILL_OPEN;
    }

    static void write(Socket s, byte[] bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    static byte[] frame(byte[] payload) {
        return concat(concat(new byte[] {0x0b}, payload), new byte[] {0x1c, 0x0d});
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The next frame's payload (ISO-8859-1), or null if the connection ended or nothing came in time. */
    static String readFrame(Socket s, Duration max) throws IOException {
        s.setSoTimeout((int) max.toMillis());
        InputStream in = s.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean started = false;
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (!started) {
                    started = b == 0x0b;
                } else if (b == 0x1c) {
                    in.read();
                    return buf.toString(StandardCharsets.ISO_8859_1);
                } else {
                    buf.write(b);
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            return null;
        }
        return null;
    }

    // ---- 3: health, threads, heap ----

    /** GET /health every 200 ms until stopped; anything but 200 (or no answer) is a failure. */
    static final class HealthPoller implements Runnable {
        final AtomicLong polls = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final HttpRequest request;

        HealthPoller(int port) {
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).GET().build();
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    polls.incrementAndGet();
                    if (status != 200) {
                        failures.incrementAndGet();
                    }
                } catch (IOException e) {
                    polls.incrementAndGet();
                    failures.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(200); // polling pace
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            running.set(false);
        }
    }

    /**
     * The engine's live threads, its MLLP connection handlers (camel-mllp names a thread after the connection it
     * serves while it serves it), heap used after a full GC (jcmd), and RSS from /proc.
     */
    record Sample(int threads, int mllpHandlers, long heapUsed, long rss) {

        private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

        /** Live threads and, of them, MLLP connection handlers. */
        static int[] threads(EngineProcess engine) throws IOException, InterruptedException {
            String dump = jcmd(engine.process().pid(), "Thread.print");
            int threads = 0;
            int handlers = 0;
            for (String line : dump.split("\n")) {
                if (line.startsWith("\"")) {
                    threads++;
                    if (line.startsWith("\"TcpSocketConsumerRunnable")) {
                        handlers++;
                    }
                }
            }
            if (threads == 0) {
                throw new IllegalStateException("jcmd Thread.print listed no threads:\n" + dump);
            }
            return new int[] {threads, handlers};
        }

        /** The engine's threads counted by name with digits folded ("careline-sender-#": 64), for a failure. */
        static java.util.Map<String, Long> threadNames(EngineProcess engine) throws IOException, InterruptedException {
            return java.util.Arrays.stream(jcmd(engine.process().pid(), "Thread.print").split("\n"))
                    .filter(line -> line.startsWith("\""))
                    .map(line -> line.substring(1, Math.max(1, line.indexOf('"', 1))).replaceAll("\\d+", "#"))
                    .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.TreeMap::new,
                            java.util.stream.Collectors.counting()));
        }

        static Sample of(EngineProcess engine) throws IOException, InterruptedException {
            long pid = engine.process().pid();
            int[] t = threads(engine);
            jcmd(pid, "GC.run");
            Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
            long heap = 0;
            while (m.find()) {
                heap += Long.parseLong(m.group(1)) * 1024;
            }
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            if (heap == 0) {
                throw new IllegalStateException("jcmd GC.heap_info gave no heap figure for " + pid);
            }
            return new Sample(t[0], t[1], heap, rss);
        }

        long heapMiB() {
            return heapUsed >> 20;
        }

        long rssMiB() {
            return rss >> 20;
        }

        private static String jcmd(long pid, String command) throws IOException, InterruptedException {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
            }
            return out;
        }
    }

    // ---- set-up ----

    private Map<String, String> env(String dbUrl) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_DB_URL", dbUrl);
        env.put("CARELINE_DB_PASSWORD", DB_PASSWORD);
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        env.put("CARELINE_TIMEZONE", "UTC");
        env.put("CARELINE_PHONE_REGION", "US");
        env.put("CARELINE_MLLP_IDLE_TIMEOUT_MS", String.valueOf(IDLE_MS));
        env.put("CARELINE_PORTAL_LINK_SECRET", PORTAL_SECRET);
        env.put("WHATSAPP_API_BASE", meta.baseUrl());
        env.put("WHATSAPP_PHONE_NUMBER_ID", EngineFixture.PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", TOKEN);
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
        return env;
    }

    /** UTF-8 if the bytes are, else ISO-8859-1 (as the engine reads a message without MSH-18). */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static List<Path> corpusFiles() throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".hl7")).sorted().toList();
        }
    }

    /** Patient names (PID-5) and phone numbers (PID-13, PID-14) of one corpus message, in the forms a log could hold. */
    static void watchPatient(SecretsInLogs secrets, String text) {
        for (String segment : text.split("\r")) {
            if (!segment.startsWith("PID|")) {
                continue;
            }
            String[] f = segment.split("\\|", -1);
            if (f.length > 5) {
                for (String name : f[5].split("~")) {
                    secrets.watch(name.replaceAll("\\^+$", ""));
                    String[] c = name.split("\\^", -1);
                    String family = c[0].split("&", -1)[0];
                    secrets.watch(family);
                    if (c.length > 1) {
                        secrets.watch(c[1]).watch(c[1] + " " + family).watch(family + "^" + c[1]);
                    }
                }
            }
            for (int field = 13; field <= 14 && field < f.length; field++) {
                for (String xtn : f[field].split("~")) {
                    String[] c = xtn.split("\\^", -1);
                    secrets.watch(c[0]);
                    String digits = c[0].replaceAll("\\D", "");
                    secrets.watch(digits);
                    if (c.length > 3) {
                        secrets.watch(c[3]); // e-mail address
                    }
                    if (c.length > 6) {
                        String national = (c[5] + c[6]).replaceAll("\\D", "");
                        secrets.watch(national).watch(c[6].replaceAll("\\D", ""));
                        if (national.length() == 10) {
                            secrets.watchPhone("+1" + national);
                        }
                    }
                }
            }
        }
    }
}
