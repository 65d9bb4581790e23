package org.careline.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.bench.CloudApiStandIn;
import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7, item 1: the engine (the packaged jar, its own JVM) is killed with SIGKILL in the middle of work and
 * started again on the same H2 file. Three parts, each on a fresh database:
 * <ol>
 *   <li>ingest — SIU^S12 over a few MLLP connections, each client waiting for its ACK; killed once ~40 % are ACKed.
 *       Every AA'd booking must be in the file with its confirmation and reminders; the clients then re-send what
 *       was not ACKed (as an EHR does) and nothing is doubled.</li>
 *   <li>dispatch — confirmations being sent to a Cloud API stand-in that answers after 50 ms; killed mid-dispatch.
 *       After the restart every confirmation ends SENT (or dead), each reached the stand-in, and the ones sent twice
 *       are at most the dispatcher's in-flight limit (2 × CARELINE_SEND_PARALLELISM rows claimed at once).</li>
 *   <li>webhooks — signed status webhooks (sent, delivered, read) for messages the engine sent; killed mid-way.
 *       Every webhook answered 200 has its effect after the restart; Meta re-sends the rest; nothing applies
 *       twice.</li>
 * </ol>
 */
class CrashReliabilityIT {

    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final String TOKEN = "EAAGcrashTOKEN7f3a9c1e";
    private static final String APP_SECRET = "crash-app-secret-5d21e8b4";
    private static final String VERIFY_TOKEN = "crash-verify-token-91c7";
    private static final int CONNECTIONS = 4;
    private static final int PARALLELISM = 8;
    /** Above the send timeout below; short so that rows a killed engine held are sent again within the run. */
    private static final int LEASE_MS = 5000;
    private static final double KILL_AT = 0.4;

    @TempDir
    Path tmp;

    private final List<EngineProcess> engines = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final SecretsInLogs secrets = new SecretsInLogs();
    /** A zone where it is about midday now: the default site's quiet hours never hold a confirmation back. */
    private final ZoneId zone = ZoneOffset.ofHours(12 - Instant.now().atOffset(ZoneOffset.UTC).getHour());

    private final long began = System.nanoTime();

    /** A phase mark on standard output (the failsafe report keeps it): where a slow run spends its time. */
    private void phase(String what) {
        System.out.printf("[crash] %6.1f s %s%n", (System.nanoTime() - began) / 1e9, what);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (EngineProcess e : engines) {
            e.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- 1. ingest

    @Test
    void killedDuringIngestEveryAcknowledgedBookingSurvivesAndResendsDoubleNothing() throws Exception {
        int n = SuiteSize.pick(500, 5000);
        Path dir = Files.createDirectories(tmp.resolve("ingest"));
        H2File db = new H2File(dir, false);
        CloudApiStandIn cloud = standIn(0);
        VariedBookings gen = new VariedBookings("ci" + Long.toString(System.nanoTime() % 100000, 36), zone, 7);
        List<VariedBookings.Booking> bookings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bookings.add(gen.booking(i));
            VariedBookings.watch(secrets, bookings.get(i));
        }

        EngineProcess first = start(dir, "ingest-1", db, cloud, Map.of());
        first.awaitHealthy(BOOT);
        phase("first healthy");
        Map<Integer, String> acks = new ConcurrentHashMap<>();
        Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
        sendUntilKilled(first, n, i -> bookings.get(i).text(), acks, inFlight, (int) Math.ceil(n * KILL_AT));
        int exit = first.kill(Duration.ofSeconds(30));
        phase("first killed");

        Set<Integer> acked = acks.keySet().stream().filter(i -> "AA".equals(acks.get(i))).collect(Collectors.toSet());
        List<Integer> notAcked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!acks.containsKey(i)) {
                notAcked.add(i);
            }
        }
        // What the file holds right after the kill, for every booking that got its AA.
        Map<String, Long> appointmentsAtKill = db.counts("SELECT external_id, COUNT(*) FROM appointment GROUP BY external_id");
        Map<String, String> kindsAtKill = outboxKinds(db);
        Set<String> inboundAaAtKill = new HashSet<>(db.strings("SELECT control_id FROM inbound_message WHERE ack_code = 'AA'"));
        List<String> lostAtKill = new ArrayList<>();
        for (int i : acked) {
            VariedBookings.Booking b = bookings.get(i);
            if (appointmentsAtKill.getOrDefault(b.appointmentId(), 0L) != 1 || !inboundAaAtKill.contains(b.controlId())
                    || !"C1 R2".equals(kindsAtKill.get(b.appointmentId()))) {
                lostAtKill.add(b.appointmentId() + " (" + appointmentsAtKill.get(b.appointmentId()) + " appointments, "
                        + "outbox " + kindsAtKill.get(b.appointmentId()) + ")");
            }
        }

        // Second life on the same file: the EHR sends again everything it has no ACK for.
        EngineProcess second = start(dir, "ingest-2", db, cloud, Map.of());
        second.awaitHealthy(BOOT);
        phase("second healthy");
        Map<Integer, String> resendAcks = sendAll(second, notAcked, i -> bookings.get(i).text());
        assertThat(second.stop(Duration.ofSeconds(60))).as("exit after SIGTERM\n%s", second.output()).isIn(0, 143);
        phase("second stopped");

        Map<String, Long> appointments = db.counts("SELECT external_id, COUNT(*) FROM appointment GROUP BY external_id");
        Map<String, String> kinds = outboxKinds(db);
        Map<String, Long> inbound = db.counts("SELECT control_id, COUNT(*) FROM inbound_message GROUP BY control_id");
        Map<String, Long> events = db.counts("SELECT a.external_id, COUNT(*) FROM appointment_event e "
                + "JOIN appointment a ON a.id = e.appointment_id GROUP BY a.external_id");
        int cameOut = 0;
        List<String> lost = new ArrayList<>(lostAtKill);
        List<String> doubled = new ArrayList<>();
        for (VariedBookings.Booking b : bookings) {
            long a = appointments.getOrDefault(b.appointmentId(), 0L);
            if (a >= 1 && "C1 R2".equals(kinds.get(b.appointmentId()))) {
                cameOut++;
            } else if (a == 0 || kinds.get(b.appointmentId()) == null) {
                lost.add(b.appointmentId() + " after the resend");
            }
            if (a > 1 || inbound.getOrDefault(b.controlId(), 0L) > 1 || events.getOrDefault(b.appointmentId(), 0L) > 1
                    || (kinds.get(b.appointmentId()) != null && !"C1 R2".equals(kinds.get(b.appointmentId())))) {
                doubled.add(b.appointmentId() + " (" + a + " appointments, outbox " + kinds.get(b.appointmentId())
                        + ", " + events.get(b.appointmentId()) + " events)");
            }
        }
        long resentOk = resendAcks.values().stream().filter("AA"::equals).count();
        new SuiteSummary("crash/ingest").put("sent", n).put("acked before kill", acked.size())
                .put("in flight at kill", inFlight.size()).put("re-sent", notAcked.size()).put("re-sent AA", resentOk)
                .put("came out", cameOut).put("lost", lost.size()).put("duplicated", doubled.size()).report();

        assertThat(exit).as("exit status after SIGKILL").isEqualTo(137);
        assertThat(acks.values()).as("ACK codes before the kill").allMatch("AA"::equals);
        assertThat(acked.size()).as("ACKed before the kill").isGreaterThanOrEqualTo((int) Math.ceil(n * KILL_AT))
                .isLessThan(n);
        assertThat(lostAtKill).as("AA'd bookings missing from the file right after SIGKILL").isEmpty();
        assertThat(resendAcks.values()).as("ACKs of the re-sent messages").hasSize(notAcked.size()).allMatch("AA"::equals);
        assertThat(lost).as("lost").isEmpty();
        assertThat(doubled).as("doubled").isEmpty();
        assertThat(cameOut).isEqualTo(n);
        assertThat(inbound).hasSize(n);
        assertNoSecretsLogged(first, second);
    }

    // -------------------------------------------------------------------------------------------- 2. dispatch

    @Test
    void killedDuringDispatchEveryConfirmationGoesOutAndDuplicatesStayWithinTheInFlightLimit() throws Exception {
        int n = SuiteSize.pick(500, 5000);
        Path dir = Files.createDirectories(tmp.resolve("dispatch"));
        H2File db = new H2File(dir, false);
        MetaStub meta = new MetaStub();
        closeables.add(meta);
        VariedBookings gen = new VariedBookings("cd" + Long.toString(System.nanoTime() % 100000, 36), zone, 11);
        List<VariedBookings.Booking> bookings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bookings.add(gen.booking(i));
            VariedBookings.watch(secrets, bookings.get(i));
        }
        // Each booking's confirmation is due at once. While the bookings come in, the Cloud API is slow (1.5 s per
        // send, so at most PARALLELISM / 1.5 s go out meanwhile, however slow the ingest); then it answers in 50 ms.
        Map<String, String> env = Map.of("CARELINE_SEND_RATE_PER_SECOND", "1000", "CARELINE_SEND_TIMEOUT_MS", "5000",
                "CARELINE_SEND_LEASE_MS", "12000");
        meta.latency(1500);
        EngineProcess first = start(dir, "dispatch-1", db, meta.baseUrl(), env);
        first.awaitHealthy(BOOT);
        phase("first healthy");
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Map<Integer, String> acks = sendAll(first, all, i -> bookings.get(i).text());
        assertThat(acks.values()).as("ACKs").hasSize(n).allMatch("AA"::equals);
        int sentDuringIngest = confirmations(meta).size();
        phase("booked; confirmations sent meanwhile: " + sentDuringIngest);
        meta.latency(50);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                .until(() -> confirmations(meta).size() >= n * KILL_AT || !first.process().isAlive());
        int exit = first.kill(Duration.ofSeconds(30));
        phase("first killed");
        List<String> beforeKill = confirmations(meta);
        Set<String> reachedBeforeKill = new HashSet<>(beforeKill);
        Map<String, Long> statesAtKill = db.counts("SELECT status, COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' "
                + "GROUP BY status");
        // Rows SENDING at the kill whose request already reached the stand-in: the restart must send them again.
        long resendable = db.rows("SELECT p.phone_e164 FROM outbox o JOIN appointment a ON a.id = o.appointment_id "
                        + "JOIN patient p ON p.id = a.patient_id WHERE o.kind = 'CONFIRMATION' AND o.status = 'SENDING'")
                .stream().filter(r -> reachedBeforeKill.contains(r.get(0).toString().substring(1))).count();

        // Second life: the rows the dead engine held are sent again once their lease ends.
        EngineProcess second = start(dir, "dispatch-2", db, meta.baseUrl(), env);
        second.awaitHealthy(BOOT);
        phase("second healthy");
        Set<String> expected = bookings.stream().map(b -> b.phoneE164().substring(1)).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(SuiteSize.pick(120, 300))).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<String> now = confirmations(meta);
                    return now.size() >= n + resendable && new HashSet<>(now).containsAll(expected);
                });
        assertThat(second.stop(Duration.ofSeconds(60))).as("exit after SIGTERM\n%s", second.output()).isIn(0, 143);
        phase("second stopped");

        List<String> sends = confirmations(meta);
        Map<String, Long> perRecipient = sends.stream().collect(Collectors.groupingBy(r -> r, Collectors.counting()));
        long duplicated = perRecipient.values().stream().mapToLong(c -> c - 1).sum();
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(perRecipient.keySet());
        Map<String, Long> states = db.counts("SELECT status, COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' GROUP BY status");
        long ended = states.getOrDefault("SENT", 0L) + states.getOrDefault("DEAD", 0L);
        new SuiteSummary("crash/dispatch").put("due", n).put("sent while booking", sentDuringIngest)
                .put("reached stand-in before kill", beforeKill.size())
                .put("states at kill", new java.util.TreeMap<>(statesAtKill)).put("sent again after restart", resendable)
                .put("stand-in requests", sends.size()).put("came out", perRecipient.size())
                .put("states at end", new java.util.TreeMap<>(states)).put("lost", lost.size())
                .put("duplicated", duplicated).put("bound", 2 * PARALLELISM).report();

        assertThat(exit).as("exit status after SIGKILL").isEqualTo(137);
        assertThat(statesAtKill.getOrDefault("SENDING", 0L)).as("rows claimed at the kill")
                .isLessThanOrEqualTo(2L * PARALLELISM);
        assertThat(statesAtKill.getOrDefault("PENDING", 0L)).as("killed mid-dispatch: some still queued").isPositive();
        assertThat(lost).as("confirmations that never reached the stand-in").isEmpty();
        assertThat(ended).as("confirmations SENT or dead-lettered (%s)", states).isEqualTo(n);
        assertThat(duplicated).as("duplicate Cloud API requests").isEqualTo(resendable)
                .isLessThanOrEqualTo(2L * PARALLELISM);
        assertNoSecretsLogged(first, second);
    }

    /**
     * Recipients (digits) of the booking confirmations the stand-in received, one entry per request: the template or
     * its withoutProvider variant (these bookings name no provider).
     */
    private static final Set<String> CONFIRMATION_TEMPLATES = Set.of("appointment_confirmation",
            "appointment_confirmation_no_provider");

    private static List<String> confirmations(MetaStub meta) {
        return meta.received().stream()
                .filter(r -> !r.isMediaUpload() && CONFIRMATION_TEMPLATES.contains(
                        r.json().path("template").path("name").asText()))
                .map(r -> r.json().path("to").asText())
                .toList();
    }

    // -------------------------------------------------------------------------------------------- 3. webhooks

    @Test
    void killedWhileTakingStatusWebhooksEveryAnsweredOneAppliesOnce() throws Exception {
        int n = SuiteSize.pick(500, 5000);
        int messages = (n + 2) / 3;
        Path dir = Files.createDirectories(tmp.resolve("webhooks"));
        H2File db = new H2File(dir, true);
        CloudApiStandIn cloud = standIn(0);
        VariedBookings gen = new VariedBookings("cw" + Long.toString(System.nanoTime() % 100000, 36), zone, 13);
        List<VariedBookings.Booking> bookings = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            bookings.add(gen.booking(i));
            VariedBookings.watch(secrets, bookings.get(i));
        }

        EngineProcess first = start(dir, "webhooks-1", db, cloud, Map.of());
        first.awaitHealthy(BOOT);
        phase("first healthy");
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            all.add(i);
        }
        assertThat(sendAll(first, all, i -> bookings.get(i).text()).values()).hasSize(messages).allMatch("AA"::equals);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                db.count("SELECT COUNT(*) FROM outbox WHERE kind = 'CONFIRMATION' AND status = 'SENT'") == messages);
        phase("confirmations sent");
        List<String> wamids = db.strings("SELECT wamid FROM outbox WHERE kind = 'CONFIRMATION' ORDER BY id");

        // n status webhooks, one POST each: every message sent, then delivered, then read, as Meta reports them.
        List<String[]> statuses = new ArrayList<>(n);
        for (String status : List.of("sent", "delivered", "read")) {
            for (String wamid : wamids) {
                if (statuses.size() < n) {
                    statuses.add(new String[]{wamid, status});
                }
            }
        }
        Map<Integer, Integer> answers = new ConcurrentHashMap<>();
        Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
        postUntilKilled(first, statuses, answers, inFlight, (int) Math.ceil(n * KILL_AT));
        int exit = first.kill(Duration.ofSeconds(30));
        phase("first killed");
        Set<Integer> answered200 = answers.keySet().stream().filter(i -> answers.get(i) == 200).collect(Collectors.toSet());
        long storedAtKill = db.count("SELECT COUNT(*) FROM webhook_delivery");

        // Second life: what was stored is processed; then Meta re-sends every POST it got no 200 for.
        EngineProcess second = start(dir, "webhooks-2", db, cloud, Map.of());
        second.awaitHealthy(BOOT);
        phase("second healthy");
        awaitWebhooksProcessed(db);
        phase("stored webhooks processed");
        Set<String> applied = new HashSet<>(db.strings("SELECT wamid || ' ' || status FROM message_status"));
        List<String> lostAfterRestart = new ArrayList<>();
        for (int i : answered200) {
            String key = statuses.get(i)[0] + " " + statuses.get(i)[1];
            if (!applied.contains(key)) {
                lostAfterRestart.add(key);
            }
        }
        List<Integer> unanswered = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            if (!answered200.contains(i)) {
                unanswered.add(i);
            }
        }
        Map<Integer, Integer> resent = new ConcurrentHashMap<>();
        postAll(second, statuses, unanswered, resent);
        awaitWebhooksProcessed(db);

        Map<String, Long> statusRows = db.counts("SELECT wamid || ' ' || status, COUNT(*) FROM message_status GROUP BY wamid, status");
        Map<String, Long> eventRows = db.counts("SELECT o.wamid || ' ' || e.event, COUNT(*) FROM message_event e "
                + "JOIN outbox o ON o.id = e.outbox_id WHERE e.event IN ('delivered', 'read') AND o.kind = 'CONFIRMATION' "
                + "GROUP BY o.wamid, e.event");
        Map<String, Long> deliveryStates = db.counts("SELECT COALESCE(delivery_status, '-'), COUNT(*) FROM outbox "
                + "WHERE kind = 'CONFIRMATION' GROUP BY delivery_status");
        long failedDeliveries = db.count("SELECT COUNT(*) FROM webhook_delivery WHERE error IS NOT NULL");
        long deliveries = db.count("SELECT COUNT(*) FROM webhook_delivery");
        assertThat(second.stop(Duration.ofSeconds(60))).as("exit after SIGTERM\n%s", second.output()).isIn(0, 143);
        phase("second stopped");

        List<String> lost = new ArrayList<>(lostAfterRestart);
        for (String[] s : statuses) {
            if (!statusRows.containsKey(s[0] + " " + s[1])) {
                lost.add(s[0] + " " + s[1] + " after the re-send");
            }
        }
        long duplicated = statusRows.values().stream().mapToLong(c -> c - 1).sum()
                + eventRows.values().stream().mapToLong(c -> c - 1).sum();
        long expectedEvents = statuses.stream().filter(s -> !s[1].equals("sent")).count();
        new SuiteSummary("crash/webhooks").put("posted", n).put("answered 200 before kill", answered200.size())
                .put("in flight at kill", inFlight.size()).put("stored at kill", storedAtKill)
                .put("re-posted", unanswered.size()).put("deliveries stored", deliveries)
                .put("came out (statuses applied)", statusRows.size()).put("lost", lost.size())
                .put("duplicated", duplicated).report();

        assertThat(exit).as("exit status after SIGKILL").isEqualTo(137);
        assertThat(answers.values()).as("answers before the kill").allMatch(s -> s == 200);
        assertThat(answered200.size()).isGreaterThanOrEqualTo((int) Math.ceil(n * KILL_AT)).isLessThan(n);
        assertThat(storedAtKill).as("every POST answered 200 is stored").isGreaterThanOrEqualTo(answered200.size());
        assertThat(lostAfterRestart).as("statuses answered 200 before the kill but not applied after the restart")
                .isEmpty();
        assertThat(resent.values()).as("answers to the re-sent POSTs").hasSize(unanswered.size()).allMatch(s -> s == 200);
        assertThat(lost).as("lost").isEmpty();
        assertThat(duplicated).as("statuses applied twice").isZero();
        assertThat(statusRows).hasSize(n);
        assertThat(eventRows).as("delivered/read events, one each").hasSize((int) expectedEvents);
        assertThat(failedDeliveries).as("deliveries processed with an error").isZero();
        if (n == 3 * messages) {
            assertThat(deliveryStates).as("every message read").isEqualTo(Map.of("read", (long) messages));
        }
        assertNoSecretsLogged(first, second);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private CloudApiStandIn standIn(long latencyMillis) throws IOException {
        CloudApiStandIn cloud = new CloudApiStandIn(latencyMillis, "C");
        closeables.add(cloud);
        return cloud;
    }

    private EngineProcess start(Path dir, String name, H2File db, CloudApiStandIn cloud, Map<String, String> extra)
            throws IOException {
        return start(dir, name, db, cloud.baseUrl(), extra);
    }

    private EngineProcess start(Path dir, String name, H2File db, String apiBase, Map<String, String> extra)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_DB_URL", db.url());
        env.put("CARELINE_TIMEZONE", zone.getId());
        env.put("CARELINE_PHONE_REGION", "US");
        env.put("CARELINE_SEND_PARALLELISM", String.valueOf(PARALLELISM));
        env.put("CARELINE_SEND_TIMEOUT_MS", "2000");
        env.put("CARELINE_SEND_LEASE_MS", String.valueOf(LEASE_MS));
        env.put("CARELINE_RETRY_BASE_MS", "500");
        env.put("WHATSAPP_API_BASE", apiBase);
        env.put("WHATSAPP_PHONE_NUMBER_ID", EngineFixture.PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", TOKEN);
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
        env.putAll(extra);
        secrets.watch(TOKEN).watch(APP_SECRET).watch(VERIFY_TOKEN);
        EngineProcess engine = EngineProcess.startJar(env, dir, name);
        engines.add(engine);
        return engine;
    }

    /**
     * Sends messages 0..n-1 over {@link #CONNECTIONS} connections, each waiting for its ACK, until the engine is
     * killed: returns once {@code killAfter} are ACKed (the caller kills it) or every message is through. A message
     * whose ACK did not come lands in {@code inFlight}; messages never sent are in neither map.
     */
    private static void sendUntilKilled(EngineProcess engine, int n, IntFunction<String> text, Map<Integer, String> acks,
                                        Set<Integer> inFlight, int killAfter) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                try (MllpClient client = new MllpClient(engine.mllpPort())) {
                    while (!stop.get()) {
                        int i = next.getAndIncrement();
                        if (i >= n) {
                            return;
                        }
                        inFlight.add(i);
                        String ack = client.send(text.apply(i));
                        acks.put(i, String.valueOf(MllpClient.field(ack, "MSA", 1)));
                        inFlight.remove(i);
                    }
                } catch (IOException killed) {
                    // the engine died under this connection: what is in inFlight got no ACK
                }
            }, "mllp-client-" + c);
            t.start();
            clients.add(t);
        }
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(2))
                .until(() -> acks.size() >= killAfter || clients.stream().noneMatch(Thread::isAlive));
        // The clients keep sending while the engine is killed: the kill lands among messages under way.
        engine.kill(Duration.ofSeconds(30));
        stop.set(true);
        for (Thread t : clients) {
            t.join(30_000);
        }
    }

    /** Sends the given messages over {@link #CONNECTIONS} connections, each waiting for its ACK; index → MSA-1. */
    private static Map<Integer, String> sendAll(EngineProcess engine, List<Integer> indexes, IntFunction<String> text)
            throws Exception {
        Map<Integer, String> acks = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                try (MllpClient client = new MllpClient(engine.mllpPort())) {
                    for (int k = next.getAndIncrement(); k < indexes.size(); k = next.getAndIncrement()) {
                        int i = indexes.get(k);
                        acks.put(i, String.valueOf(MllpClient.field(client.send(text.apply(i)), "MSA", 1)));
                    }
                } catch (IOException e) {
                    errors.add(e);
                }
            }, "mllp-client-" + c);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join(600_000);
        }
        assertThat(errors).as("MLLP client errors\n%s", engine.output()).isEmpty();
        return acks;
    }

    private static ObjectNode statusPayload(String[] s) {
        return MetaWebhooks.statusPayload(MetaWebhooks.status(s[0], s[1], Instant.now()));
    }

    /** Posts statuses over {@link #CONNECTIONS} clients until {@code killAfter} are answered, then kills the engine. */
    private static void postUntilKilled(EngineProcess engine, List<String[]> statuses, Map<Integer, Integer> answers,
                                        Set<Integer> inFlight, int killAfter) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    int i = next.getAndIncrement();
                    if (i >= statuses.size()) {
                        return;
                    }
                    inFlight.add(i);
                    try {
                        answers.put(i, MetaWebhooks.post(engine.httpPort(), APP_SECRET, statusPayload(statuses.get(i)))
                                .status());
                        inFlight.remove(i);
                    } catch (IOException killed) {
                        return; // no answer: Meta will deliver it again
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "webhook-client-" + c);
            t.start();
            clients.add(t);
        }
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(2))
                .until(() -> answers.size() >= killAfter || clients.stream().noneMatch(Thread::isAlive));
        engine.kill(Duration.ofSeconds(30));
        stop.set(true);
        for (Thread t : clients) {
            t.join(30_000);
        }
    }

    private static void postAll(EngineProcess engine, List<String[]> statuses, List<Integer> indexes,
                                Map<Integer, Integer> answers) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (int k = next.getAndIncrement(); k < indexes.size(); k = next.getAndIncrement()) {
                        int i = indexes.get(k);
                        answers.put(i, MetaWebhooks.post(engine.httpPort(), APP_SECRET, statusPayload(statuses.get(i)))
                                .status());
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            }, "webhook-client-" + c);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join(600_000);
        }
        assertThat(errors).as("webhook client errors\n%s", engine.output()).isEmpty();
    }

    private static void awaitWebhooksProcessed(H2File db) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                db.count("SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL") == 0);
    }

    /** Per appointment, its outbox rows as "C<confirmations> R<reminders>" (other kinds named in full). */
    private static Map<String, String> outboxKinds(H2File db) throws Exception {
        Map<String, Map<String, Long>> per = new HashMap<>();
        for (List<Object> row : db.rows("SELECT a.external_id, o.kind, COUNT(*) FROM outbox o "
                + "JOIN appointment a ON a.id = o.appointment_id GROUP BY a.external_id, o.kind")) {
            per.computeIfAbsent(row.get(0).toString(), k -> new LinkedHashMap<>())
                    .put(row.get(1).toString(), ((Number) row.get(2)).longValue());
        }
        Map<String, String> out = new HashMap<>();
        per.forEach((appointment, kinds) -> {
            StringBuilder s = new StringBuilder("C" + kinds.getOrDefault("CONFIRMATION", 0L) + " R"
                    + kinds.getOrDefault("REMINDER", 0L));
            kinds.forEach((k, v) -> {
                if (!k.equals("CONFIRMATION") && !k.equals("REMINDER")) {
                    s.append(' ').append(k).append(v);
                }
            });
            out.put(appointment, s.toString());
        });
        return out;
    }

    private void assertNoSecretsLogged(EngineProcess... lives) throws IOException {
        StringBuilder log = new StringBuilder();
        for (EngineProcess e : lives) {
            log.append(e.stdout()).append(e.stderr());
        }
        assertThat(secrets.size()).isGreaterThan(10);
        assertThat(secrets.foundIn(log.toString())).as("PHI or secrets in the engine's log").isEmpty();
    }
}
