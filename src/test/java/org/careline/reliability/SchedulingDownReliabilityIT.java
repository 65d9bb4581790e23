package org.careline.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.bench.CloudApiStandIn;
import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.SchedulingPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7, item 3: patients' answers written back to a scheduling system that is down. Appointments are booked by
 * SIU over MLLP; each patient then answers CONFIRM, then CHANGE, then CANCEL (signed Meta webhooks, in that order),
 * and the engine sends one SRM per answer to CARELINE_SCHEDULING_MLLP. Nothing listens there for a while (short
 * ~10 s, long 60 s: connections refused); then the peer comes up and answers, decided by appointment: AE to some
 * CHANGE requests, AR to some CANCEL requests, no answer at all the first time it sees some CONFIRM requests (a lost
 * ACK), AA otherwise.
 *
 * <p>What docs/behaviour.md promises and this checks: every request arrives after the recovery, per appointment in the
 * order the patient answered (a later request waits while an earlier one is unanswered); each under one MSH-10 that
 * a resend keeps, so only a request whose answer was lost arrives more than once; AA → DONE; AE/AR → REJECTED with
 * the ACK code and an alert, sent once and never again.
 */
class SchedulingDownReliabilityIT {

    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final String TOKEN = "EAAGschedTOKEN3b8e0d2f";
    private static final String APP_SECRET = "sched-app-secret-8c4f1a9e";
    private static final String VERIFY_TOKEN = "sched-verify-token-2e6b";
    private static final int CONNECTIONS = 4;
    private static final Pattern APPOINTMENT_INDEX = Pattern.compile("APT-[^-|^]+-(\\d+)");
    private static final List<String> ACTIONS = List.of("CONFIRM", "CHANGE", "CANCEL");

    @TempDir
    Path tmp;

    private EngineProcess engine;
    private CloudApiStandIn cloud;
    private SchedulingPeer peer;

    @AfterEach
    void cleanUp() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (cloud != null) {
            cloud.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    /** What the peer answers for appointment {@code i}'s request of {@code action}, once it is up. */
    static String planned(int i, String action) {
        if (action.equals("CHANGE") && i % 4 == 1) {
            return "AE";
        }
        if (action.equals("CANCEL") && i % 4 == 2) {
            return "AR";
        }
        return "AA";
    }

    /** Appointments whose CONFIRM request gets no answer the first time it arrives (the ACK is lost). */
    static boolean losesFirstAnswer(int i) {
        return i % 6 == 3;
    }

    @Test
    void requestsQueuedWhileTheSchedulingSystemIsDownArriveInOrderOnceEachAndRejectionsAreFinal() throws Exception {
        int appointments = SuiteSize.pick(30, 150);
        Duration down = Duration.ofSeconds(SuiteSize.pick(10, 60));
        ZoneId zone = ZoneOffset.ofHours(12 - Instant.now().atOffset(ZoneOffset.UTC).getHour());
        SecretsInLogs secrets = new SecretsInLogs().watch(TOKEN).watch(APP_SECRET).watch(VERIFY_TOKEN);
        VariedBookings gen = new VariedBookings("sd" + Long.toString(System.nanoTime() % 100000, 36), zone, 17);
        List<VariedBookings.Booking> bookings = new ArrayList<>();
        for (int i = 0; i < appointments; i++) {
            bookings.add(gen.booking(i));
            VariedBookings.watch(secrets, bookings.get(i));
        }

        peer = SchedulingPeer.onFreePort(); // not listening yet: connections are refused
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Map<String, Instant> firstArrival = new ConcurrentHashMap<>();
        peer.answer(message -> {
            String control = MllpClient.field(message, "MSH", 10);
            boolean first = seen.add(control);
            firstArrival.putIfAbsent(control, Instant.now());
            int i = indexOf(message);
            String action = actionOf(message);
            if (first && action.equals("CONFIRM") && losesFirstAnswer(i)) {
                return null;
            }
            return planned(i, action);
        });
        cloud = new CloudApiStandIn(0, "S");
        H2File db = new H2File(tmp, true);
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_DB_URL", db.url());
        env.put("CARELINE_TIMEZONE", zone.getId());
        env.put("CARELINE_PHONE_REGION", "US");
        env.put("CARELINE_SCHEDULING_MLLP", peer.address());
        env.put("CARELINE_WRITEBACK_INTERVAL_MS", "100");
        env.put("CARELINE_SCHEDULING_TIMEOUT_MS", "2000");
        env.put("CARELINE_RETRY_BASE_MS", "500");
        env.put("WHATSAPP_API_BASE", cloud.baseUrl());
        env.put("WHATSAPP_PHONE_NUMBER_ID", EngineFixture.PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", TOKEN);
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
        engine = EngineProcess.startJar(env, tmp, "scheduling-down");
        engine.awaitHealthy(BOOT);
        long began = System.nanoTime();

        book(bookings);

        // Each patient answers three times, in order, each answer a signed webhook; patients answer concurrently.
        Instant downSince = Instant.now();
        AtomicInteger next = new AtomicInteger();
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> patients = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < appointments; i = next.getAndIncrement()) {
                        VariedBookings.Booking b = bookings.get(i);
                        for (String word : List.of("Confirm", "Reschedule", "Cancel")) {
                            String text = word + ", " + b.given() + " here";
                            ObjectNode payload = MetaWebhooks.textMessage(MetaWebhooks.newWamid(),
                                    b.phoneE164().substring(1), Instant.now());
                            ((ObjectNode) MetaWebhooks.messages(payload).get(0)).putObject("text").put("body", text);
                            answers.put(b.appointmentId() + " " + word,
                                    MetaWebhooks.post(engine.httpPort(), APP_SECRET, payload).status());
                        }
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            }, "patient-" + c);
            t.start();
            patients.add(t);
        }
        for (Thread t : patients) {
            t.join(300_000);
        }
        assertThat(errors).as("webhook errors\n%s", engine.output()).isEmpty();
        assertThat(answers).hasSize(3 * appointments);
        assertThat(answers.values()).as("webhook answers").allMatch(s -> s == 200);
        for (VariedBookings.Booking b : bookings) {
            for (String word : List.of("Confirm", "Reschedule", "Cancel")) {
                secrets.watch(word + ", " + b.given() + " here");
            }
        }

        int requests = 3 * appointments;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> db.count("SELECT COUNT(*) FROM writeback_request") == requests);
        // While it is down the engine keeps trying (connection refused) and gives nothing up.
        await().atMost(down.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> db.count("SELECT COUNT(*) FROM writeback_request WHERE attempts > 0") > 0);
        long remaining = down.toMillis() - Duration.between(downSince, Instant.now()).toMillis();
        if (remaining > 0) {
            Thread.sleep(remaining); // the outage itself: the peer stays down this long
        }
        Map<String, Long> whileDown = db.counts("SELECT status, COUNT(*) FROM writeback_request GROUP BY status");
        long attemptsWhileDown = db.count("SELECT COALESCE(SUM(attempts), 0) FROM writeback_request");
        List<String> errorsWhileDown = db.strings("SELECT DISTINCT last_error FROM writeback_request "
                + "WHERE last_error IS NOT NULL");
        Instant upAt = Instant.now();
        peer.start();

        await().atMost(Duration.ofSeconds(SuiteSize.pick(150, 400))).pollInterval(Duration.ofMillis(250))
                .until(() -> db.count("SELECT COUNT(*) FROM writeback_request WHERE status IN ('DONE', 'REJECTED', "
                        + "'FAILED')") == requests);
        int arrivedWhenDone = peer.received().size();
        // Nothing more may come: rejected requests are final, answered ones are done. Ten write-back rounds.
        Thread.sleep(1000);
        List<String> received = peer.received();

        List<List<Object>> rows = db.rows("SELECT w.id, a.external_id, w.action, w.status, w.control_id, w.ack_code, "
                + "w.attempts FROM writeback_request w JOIN appointment a ON a.id = w.appointment_id ORDER BY w.id");
        long alerts = db.count("SELECT COUNT(*) FROM alert WHERE kind = 'writeback-rejected'");
        Map<String, Long> arrivals = received.stream().collect(Collectors.groupingBy(
                m -> MllpClient.field(m, "MSH", 10), Collectors.counting()));
        Map<String, Integer> arrivalIndex = new HashMap<>();
        for (int k = 0; k < received.size(); k++) {
            arrivalIndex.putIfAbsent(MllpClient.field(received.get(k), "MSH", 10), k);
        }

        List<String> lost = new ArrayList<>();
        List<String> wrongOutcome = new ArrayList<>();
        List<String> outOfOrder = new ArrayList<>();
        List<String> unexpectedRepeats = new ArrayList<>();
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, Integer> lastIndexPerAppointment = new HashMap<>();
        Map<String, List<String>> actionsPerAppointment = new LinkedHashMap<>();
        long resentAfterLostAnswer = 0;
        for (List<Object> r : rows) {
            String appointment = r.get(1).toString();
            String action = r.get(2).toString();
            String status = r.get(3).toString();
            String control = (String) r.get(4);
            String ack = (String) r.get(5);
            int i = Integer.parseInt(appointment.substring(appointment.lastIndexOf('-') + 1));
            actionsPerAppointment.computeIfAbsent(appointment, k -> new ArrayList<>()).add(action);
            outcomes.merge(status + (ack == null ? "" : " " + ack), 1L, Long::sum);
            long n = control == null ? 0 : arrivals.getOrDefault(control, 0L);
            if (n == 0) {
                lost.add(appointment + " " + action);
                continue;
            }
            String expected = planned(i, action);
            String expectedStatus = expected.equals("AA") ? "DONE" : "REJECTED";
            if (!expectedStatus.equals(status) || !expected.equals(ack)) {
                wrongOutcome.add(appointment + " " + action + ": " + status + " " + ack + ", expected " + expectedStatus
                        + " " + expected);
            }
            boolean lostAnswer = action.equals("CONFIRM") && losesFirstAnswer(i);
            if (lostAnswer) {
                resentAfterLostAnswer += n - 1;
                if (n < 2) {
                    unexpectedRepeats.add(appointment + " " + action + " arrived " + n + "x after its answer was lost");
                }
            } else if (n != 1) {
                unexpectedRepeats.add(appointment + " " + action + " (" + status + " " + ack + ") arrived " + n + "x");
            }
            int at = arrivalIndex.get(control);
            Integer before = lastIndexPerAppointment.put(appointment, at);
            if (before != null && before > at) {
                outOfOrder.add(appointment + " " + action);
            }
        }
        long rejected = rows.stream().filter(r -> "REJECTED".equals(r.get(3))).count();
        long duplicates = received.size() - arrivals.size();
        boolean allAfterRecovery = firstArrival.values().stream().noneMatch(t -> t.isBefore(upAt));

        new SuiteSummary("scheduling-down").put("appointments", appointments).put("replies", answers.size())
                .put("requests", rows.size()).put("down s", down.toSeconds())
                .put("states while down", new TreeMap<>(whileDown)).put("attempts while down", attemptsWhileDown)
                .put("arrived", received.size()).put("distinct MSH-10", arrivals.size())
                .put("resent after a lost answer", resentAfterLostAnswer).put("duplicated", duplicates)
                .put("outcomes", outcomes).put("alerts", alerts).put("lost", lost.size())
                .put("out of order", outOfOrder.size())
                .put("recovered in s", Duration.between(upAt, Instant.now()).toSeconds())
                .put("wall s", (System.nanoTime() - began) / 1_000_000_000L).report();

        assertThat(errorsWhileDown).as("why requests waited while the peer was down").contains("ConnectException");
        assertThat(whileDown.keySet()).as("states while down").isSubsetOf("PENDING", "SENDING");
        assertThat(attemptsWhileDown).as("attempts while down").isPositive();
        assertThat(allAfterRecovery).isTrue();
        assertThat(rows).hasSize(requests);
        actionsPerAppointment.forEach((a, actions) ->
                assertThat(actions).as("requests of %s, in the order answered", a).isEqualTo(ACTIONS));
        assertThat(lost).as("requests that never reached the scheduling system").isEmpty();
        assertThat(outOfOrder).as("requests that overtook an earlier one of their appointment").isEmpty();
        assertThat(wrongOutcome).as("recorded outcomes").isEmpty();
        assertThat(unexpectedRepeats).as("requests sent more than once (only a lost answer may cause that)").isEmpty();
        assertThat(received).as("nothing sent after every request was answered").hasSize(arrivedWhenDone);
        assertThat(duplicates).isEqualTo(resentAfterLostAnswer);
        assertThat(alerts).as("writeback-rejected alerts").isEqualTo(rejected);
        assertThat(rejected).isPositive();
        for (String m : received) {
            assertThat(MllpClient.field(m, "MSH", 9)).matches("SRM\\^S0[234].*");
        }

        assertThat(engine.stop(Duration.ofSeconds(60))).as("exit after SIGTERM\n%s", engine.output()).isIn(0, 143);
        assertThat(secrets.foundIn(engine.stdout() + engine.stderr())).as("PHI or secrets in the engine's log")
                .isEmpty();
    }

    private void book(List<VariedBookings.Booking> bookings) throws IOException {
        try (MllpClient client = new MllpClient(engine.mllpPort())) {
            for (VariedBookings.Booking b : bookings) {
                String ack = client.send(b.text());
                assertThat(MllpClient.field(ack, "MSA", 1)).as("ACK of %s: %s", b.appointmentId(), ack).isEqualTo("AA");
            }
        }
    }

    private static int indexOf(String srm) {
        Matcher m = APPOINTMENT_INDEX.matcher(String.valueOf(MllpClient.field(srm, "ARQ", 2)));
        if (!m.find()) {
            throw new IllegalStateException("no appointment id in ARQ-2 of " + MllpClient.field(srm, "MSH", 10));
        }
        return Integer.parseInt(m.group(1));
    }

    /** SRM^S03 confirm, S02 change, S04 cancel (mappings/writeback.yaml). */
    private static String actionOf(String srm) {
        String trigger = MllpClient.field(srm, "MSH", 9);
        if (trigger.startsWith("SRM^S03")) {
            return "CONFIRM";
        }
        if (trigger.startsWith("SRM^S02")) {
            return "CHANGE";
        }
        if (trigger.startsWith("SRM^S04")) {
            return "CANCEL";
        }
        throw new IllegalStateException("unexpected " + trigger);
    }
}
