package org.careline.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.careline.model.KpiFigures;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The issue's scripted month: a real engine, a few hundred SIU over MLLP for two sites (Detroit and London) and two
 * services over November 2026 (the engine's clock moved through it), delivery statuses signed as Meta signs them
 * (delivered, read, failed with a code), patients' replies of every kind (an emergency among them), staff answering
 * handoff items through the API at known times, no-shows (S26), result notices and their links opened through the
 * portal's call. The test keeps its own tally of what it did and of what reached the Cloud API stand-in — never
 * the engine's tables — and every figure of /api/v1/stats/summary and of each /api/v1/stats/* endpoint must equal
 * it, for the whole month and for a week, for every site, one site, one site and service, and a staff user of one
 * site.
 */
class StatsScriptedMonthTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** Monday 2 November 2026, 13:00 UTC: 08:00 in Detroit, 13:00 in London. */
    private static final Instant T0 = Instant.parse("2026-11-02T13:00:00Z");
    private static final int DAYS = 29;
    private static final int BOOKINGS_PER_DAY = 7;
    private static final String PASSWORD = "scripted-month-password";
    private static final String SECRET = "portal-secret-for-tests-32-bytes";
    private static final String PORTAL = "https://portal.example.org/results";
    private static final String GH = "gh-clinic";
    private static final String RL = "royal-london";
    private static final Map<String, String> KIND_OF_TEMPLATE = Map.of("appointment_confirmation", "CONFIRMATION",
            "appointment_reminder", "REMINDER", "appointment_rescheduled", "RESCHEDULED",
            "appointment_cancelled", "CANCELLED", "results_available", "RESULTS_AVAILABLE",
            "results_updated", "RESULTS_UPDATED", "document_available", "DOCUMENT_AVAILABLE",
            "care_team_follow_up", "FOLLOW_UP", "messaging_consent", "OPT_IN");
    /** triage.yaml: each queue's SLA (royal-london's results queue has 8 h). */
    private static final Map<String, Duration> SLA = Map.of("emergency", Duration.ZERO, "pharmacy",
            Duration.ofHours(2), "results", Duration.ofHours(4), "scheduling", Duration.ofDays(1), "nurse",
            Duration.ofHours(4));
    private static final Set<String> NOTICE_KINDS = Set.of("RESULTS_AVAILABLE", "RESULTS_UPDATED",
            "DOCUMENT_AVAILABLE", "DOCUMENT_ATTACHED");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static EngineFixture fx;
    private static StaffClient admin;
    private static StaffClient ghStaff;
    private static StaffClient portal;

    /** One booking and what the test did to it. */
    static final class Appt {
        final int n;
        final String site;
        final String service;
        final Instant start;
        final Siu siu;
        final String waId;
        boolean confirmed;
        boolean reached;
        boolean noShow;
        boolean cancelled;
        boolean replied;
        boolean optedOut;

        Appt(int n, String site, String service, Instant start) {
            this.n = n;
            this.site = site;
            this.service = service;
            this.start = start;
            String local = String.format("271%04d", n);
            this.waId = "1608" + local;
            this.siu = Siu.booking(start).facility(GH.equals(site) ? "GH Clinic" : "BLT").serviceCode(service)
                    .phone("^PRN^CP^^1^608^" + local).patientId("MRN-SM-" + n);
        }

        ZoneId zone() {
            return zoneOf(site);
        }
    }

    /** A template send that reached the stand-in, and where it counts. */
    record Sent(String wamid, String kind, String site, String service, Appt appt) {
    }

    /** A handoff item the test saw opened, and when staff answered it (null: never). */
    static final class Item {
        final long id;
        final String site;
        final String service;
        final String queue;
        final boolean urgent;
        final Instant created;
        Instant answered;

        Item(long id, String site, String service, String queue, boolean urgent, Instant created) {
            this.id = id;
            this.site = site;
            this.service = service;
            this.queue = queue;
            this.urgent = urgent;
            this.created = created;
        }
    }

    record Key(String site, String service, LocalDate day, String figure, String detail) {
    }

    private static final List<Appt> appts = new ArrayList<>();
    private static final Map<String, Appt> byPhone = new HashMap<>();
    private static final List<Sent> sends = new ArrayList<>();
    private static final List<Sent> awaitingStatus = new ArrayList<>();
    private static final List<Item> items = new ArrayList<>();
    private static final Set<Long> seenItems = new HashSet<>();
    private static final Map<Key, Long> tally = new HashMap<>();
    private static final List<String> tokens = new ArrayList<>();
    private static int requestsSeen;
    private static int statusIndex;

    static ZoneId zoneOf(String site) {
        return GH.equals(site) ? DETROIT : LONDON;
    }

    private static void count(String site, String service, Instant at, String figure, String detail) {
        LocalDate day = at.atZone(zoneOf(site)).toLocalDate();
        tally.merge(new Key(site, service, day, figure, detail), 1L, Long::sum);
    }

    @BeforeAll
    static void runTheMonth() throws Exception {
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD, "CARELINE_STATS_SETTLE_MS", "0",
                "CARELINE_STATS_INTERVAL_MS", "250",
                "CARELINE_SEND_PARALLELISM", "1", "CARELINE_PORTAL_LINK_SECRET", SECRET,
                "CARELINE_PORTAL_URL", PORTAL, "CARELINE_TIMEZONE", "America/Detroit"), T0);
        // API tokens, not sessions: a session would end while the clock runs through the month
        StaffClient signedIn = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        assertThat(signedIn.post("/api/v1/users", "{\"username\":\"gh.staff\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"staff\"],\"sites\":[\"gh-clinic\"]}").status()).isEqualTo(201);
        assertThat(signedIn.post("/api/v1/users", "{\"username\":\"portal.system\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"portal\"]}").status()).isEqualTo(201);
        admin = StaffClient.withToken(fx.httpPort(), token(signedIn, "admin"));
        ghStaff = StaffClient.withToken(fx.httpPort(), token(signedIn, "gh.staff"));
        portal = StaffClient.withToken(fx.httpPort(), token(signedIn, "portal.system"));

        String[] replyTexts = {"yes", "change", "where is it", "help", "blah blah blah", "cancel", "refill please",
                "yes", "stop", "chest pain", "nurse", "yes"};
        int replyTurn = 0;
        for (int d = 0; d < DAYS; d++) {
            Instant base = T0.plus(Duration.ofDays(d));
            at(base);
            // bookings: starts 1–6 days ahead, in working hours at the site
            try (MllpClient mllp = fx.mllp()) {
                for (int i = 0; i < BOOKINGS_PER_DAY; i++) {
                    int n = appts.size();
                    String site = n % 2 == 0 ? GH : RL;
                    String service = (n / 2) % 2 == 0 ? "CONS" : "DERM";
                    LocalDate day = base.atZone(zoneOf(site)).toLocalDate().plusDays(1 + n % 6);
                    Instant start = ZonedDateTime.of(day.atTime(9 + n % 8, 15), zoneOf(site)).toInstant();
                    Appt a = new Appt(n, site, service, start);
                    appts.add(a);
                    byPhone.put("+" + a.waId, a);
                    assertThat(MllpClient.field(mllp.send(a.siu.build()), "MSA", 1)).isEqualTo("AA");
                    count(site, service, base, "booked", "");
                }
                // a few cancellations by the scheduling system (still booked that day; left out of the no-show split)
                for (Appt a : appts) {
                    if (a.n % 17 == 5 && !a.cancelled && a.start.isAfter(base.plus(Duration.ofHours(30)))) {
                        assertThat(MllpClient.field(mllp.send(a.siu.newControlId().trigger("S15").build()), "MSA", 1))
                                .isEqualTo("AA");
                        a.cancelled = true;
                    }
                }
            }
            collectSends();

            // statuses of everything sent so far that has none yet
            at(base.plus(Duration.ofHours(1)));
            collectSends();
            postStatuses();
            collectSends();

            // patients' replies (to appointments still ahead, so they attach), each a webhook signed as Meta signs
            at(base.plus(Duration.ofHours(2)));
            Instant replyTime = fx.clock.instant();
            int replies = 0;
            for (Appt a : appts) {
                if (replies == 4) {
                    break;
                }
                if (a.replied || a.cancelled || !a.start.isAfter(replyTime.plus(Duration.ofHours(3)))) {
                    continue;
                }
                String text = replyTexts[replyTurn++ % replyTexts.length];
                a.replied = true;
                replies++;
                ObjectNode payload = MetaWebhooks.textMessage(MetaWebhooks.newWamid(), a.waId, replyTime);
                ((ObjectNode) payload.path("entry").get(0).path("changes").get(0).path("value").path("messages")
                        .get(0).path("text")).put("body", text);
                assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
                String intent = switch (text) {
                    case "yes" -> "confirm";
                    case "change" -> "change";
                    case "cancel" -> "cancel";
                    case "where is it" -> "location";
                    case "help" -> "help";
                    case "stop" -> "stop";
                    case "chest pain" -> null; // an emergency: counted from its handoff
                    default -> "other";
                };
                if (intent != null) {
                    count(a.site, a.service, replyTime, "reply", intent);
                }
                if ("yes".equals(text)) {
                    a.confirmed = true;
                }
                if ("stop".equals(text)) {
                    a.optedOut = true;
                    count(a.site, a.service, replyTime, "opt_out", "");
                }
            }
            awaitWebhooks();
            collectSends();
            noteNewItems(replyTime);

            // staff answer two of every three new items, 5 minutes to 5 hours after they opened
            List<Item> today = items.stream().filter(it -> it.created.equals(replyTime)).toList();
            long[] delays = {5, 30, 90, 180, 300, 45};
            TreeMap<Long, List<Item>> byDelay = new TreeMap<>();
            for (int j = 0; j < today.size(); j++) {
                if ((today.get(j).id + j) % 3 != 2) {
                    byDelay.computeIfAbsent(delays[(int) ((today.get(j).id + d) % delays.length)],
                            k -> new ArrayList<>()).add(today.get(j));
                }
            }
            for (Map.Entry<Long, List<Item>> e : byDelay.entrySet()) {
                at(replyTime.plus(Duration.ofMinutes(e.getKey())));
                for (Item it : e.getValue()) {
                    assertThat(admin.post("/api/v1/handoffs/" + it.id + "/claim", "{}").status()).isEqualTo(200);
                    StaffClient.Answer a = admin.post("/api/v1/handoffs/" + it.id + "/reply",
                            "{\"text\":\"We will call you today.\"}");
                    assertThat(a.status()).as(a.body()).isBetween(200, 201);
                    it.answered = fx.clock.instant();
                }
                collectSends();
            }

            // a result notice every third day for a Detroit patient, its link opened by the portal (twice: once counted)
            if (d % 3 == 1) {
                int pick = d % 5;
                Appt a = appts.stream().filter(x -> GH.equals(x.site) && !x.optedOut && x.n % 5 == pick).findFirst()
                        .orElseThrow();
                try (MllpClient mllp = fx.mllp()) {
                    assertThat(MllpClient.field(mllp.send(oru(a, d)), "MSA", 1)).isEqualTo("AA");
                }
                collectSends();
            }

            // no-shows: some of the appointments whose start has passed
            at(base.plus(Duration.ofHours(7)));
            collectSends();
            try (MllpClient mllp = fx.mllp()) {
                for (Appt a : appts) {
                    if (!a.noShow && !a.cancelled && a.start.isBefore(fx.clock.instant())
                            && (a.n % 4 == 1 || (a.confirmed && a.n % 5 == 0) || (!a.reached && a.n % 3 == 0))) {
                        assertThat(MllpClient.field(mllp.send(a.siu.newControlId().trigger("S26").build()), "MSA",
                                1)).isEqualTo("AA");
                        a.noShow = true;
                    }
                }
            }
            collectSends();
            openLinks();
        }
        // a last morning: what was due overnight goes out, the last statuses come in
        at(T0.plus(Duration.ofDays(DAYS)).plus(Duration.ofHours(1)));
        collectSends();
        postStatuses();
        collectSends();
        at(fx.clock.instant().plus(Duration.ofMinutes(2)));
        // the no-show split is counted by the timer's round (every 250 ms here): wait for one after the last change
        Instant last = fx.clock.instant();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> fx.count(
                "SELECT COUNT(*) FROM stats_watermark WHERE source = 'no_show' AND updated_at >= ?",
                java.time.OffsetDateTime.ofInstant(last, java.time.ZoneOffset.UTC)) == 1);
    }

    private static String token(StaffClient signedIn, String user) {
        StaffClient.Answer made = signedIn.post("/api/v1/tokens", "{\"username\":\"" + user + "\",\"name\":\"t\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().path("token").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static void at(Instant t) {
        fx.clock.set(t);
    }

    private static String oru(Appt a, int d) {
        String filler = "F-SM-" + d;
        return String.join("\r", "MSH|^~\\&|LAB|GH Clinic|CARELINE|CL|20261101120000||ORU^R01|" + UUID.randomUUID()
                        + "|P|2.5.1",
                "PID|1||MRN-SM-" + a.n + "^^^HOSP^MR||DOE^JANE||19800101|F|||||^PRN^CP^^1^608^" + a.waId.substring(4)
                        + "||en",
                "PV1|1|O", "ORC|RE|PL-" + filler + "|" + filler,
                "OBR|1|PL-" + filler + "|" + filler + "|2345-7^GLUCOSE^LN||||20261101100000|||||||||||||||20261101130000||CH|F",
                "OBX|1|NM|2345-7^GLUCOSE^LN||99|mg/dl|70-105|N|||F");
    }

    /** Waits until the dispatcher is idle at the current clock, then files every new request the stand-in got. */
    private static void collectSends() {
        // as Flow.awaitIdle, polled more often: the script waits for the dispatcher a few hundred times
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> fx.count("SELECT COUNT(*) FROM outbox WHERE (status = 'PENDING' AND due_at <= ?) "
                        + "OR status = 'SENDING'", java.time.OffsetDateTime.ofInstant(fx.clock.instant(),
                        java.time.ZoneOffset.UTC)) == 0);
        List<MetaStub.Received> received = fx.meta.received();
        for (; requestsSeen < received.size(); requestsSeen++) {
            MetaStub.Received r = received.get(requestsSeen);
            // CARELINE_SEND_PARALLELISM=1: requests come one at a time, the stand-in's n-th answer is wamid.TESTn
            String wamid = "wamid.TEST" + (requestsSeen + 1);
            JsonNode json = r.json();
            if (!"template".equals(json.path("type").asText())) {
                continue; // a free-form answer: not one of the figures' messages
            }
            String kind = KIND_OF_TEMPLATE.get(json.path("template").path("name").asText());
            assertThat(kind).as(r.body()).isNotNull();
            Appt a = byPhone.get("+" + json.path("to").asText());
            Sent s;
            if (NOTICE_KINDS.contains(kind)) {
                s = new Sent(wamid, kind, GH, "", null);
                String link = Flow.bodyParameters(r).get(2);
                assertThat(link).startsWith(PORTAL + "/");
                tokens.add(link.substring(PORTAL.length() + 1));
            } else {
                s = new Sent(wamid, kind, a.site, a.service, a);
            }
            sends.add(s);
            awaitingStatus.add(s);
            count(s.site(), s.service(), fx.clock.instant(), "sent", kind);
        }
    }

    /** Delivered (some also read) for most, failed with a code for some, nothing for the rest. */
    private static void postStatuses() {
        Instant now = fx.clock.instant();
        List<ObjectNode> statuses = new ArrayList<>();
        for (Sent s : awaitingStatus) {
            int k = statusIndex++;
            if (k % 10 < 7) {
                statuses.add(MetaWebhooks.status(s.wamid(), "delivered", now));
                count(s.site(), s.service(), now, "delivered", s.kind());
                if (s.appt() != null) {
                    s.appt().reached = true;
                }
                if (k % 10 < 4) {
                    statuses.add(MetaWebhooks.status(s.wamid(), "read", now));
                    count(s.site(), s.service(), now, "read", s.kind());
                }
            } else if (k % 10 == 7) {
                int code = k % 20 == 7 ? 131026 : 131049;
                String title = code == 131026 ? "Message undeliverable" : "This message was not delivered to "
                        + "maintain healthy ecosystem engagement.";
                statuses.add(MetaWebhooks.failed(s.wamid(), code, title, now));
                count(s.site(), s.service(), now, "failed", s.kind());
                count(s.site(), s.service(), now, "failure", code + "|" + title);
            }
        }
        awaitingStatus.clear();
        for (int i = 0; i < statuses.size(); i += 25) {
            ObjectNode payload = MetaWebhooks.statusPayload(statuses.subList(i, Math.min(i + 25, statuses.size()))
                    .toArray(ObjectNode[]::new));
            assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        }
        awaitWebhooks();
    }

    /** Waits until the engine has processed every webhook it took in (a wait, not an expectation). */
    private static void awaitWebhooks() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> fx.count(
                "SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL AND discarded_at IS NULL") == 0);
    }

    /** Files the handoff items opened since the last look (the triage API's list; each item's patient names it). */
    private static void noteNewItems(Instant created) {
        JsonNode list = admin.get("/api/v1/handoffs").json();
        for (JsonNode it : list) {
            long id = it.path("id").asLong();
            if (seenItems.add(id)) {
                JsonNode detail = admin.get("/api/v1/handoffs/" + id).json();
                Appt a = byPhone.get(detail.path("patient").path("phone").asText());
                assertThat(a).as(detail.toString()).isNotNull();
                assertThat(it.path("site").asText()).isEqualTo(a.site);
                items.add(new Item(id, a.site, a.service, it.path("queue").asText(), it.path("urgent").asBoolean(),
                        created));
            }
        }
    }

    /** The portal reports each new notice's link opened, some twice; an invalid token is refused. */
    private static void openLinks() {
        for (String token : tokens) {
            assertThat(portal.post("/api/v1/portal/link-opened", "{\"token\":\"" + token + "\"}").status())
                    .isEqualTo(204);
            count(GH, "", fx.clock.instant(), "link_opened", "");
            if (token.hashCode() % 2 == 0) {
                assertThat(portal.post("/api/v1/portal/link-opened", "{\"token\":\"" + token + "\"}").status())
                        .as("a second open counts nothing").isEqualTo(204);
            }
        }
        if (!tokens.isEmpty()) {
            String forged = tokens.get(0).substring(0, tokens.get(0).length() - 2) + "xx";
            assertThat(portal.post("/api/v1/portal/link-opened", "{\"token\":\"" + forged + "\"}").status())
                    .isEqualTo(400);
        }
        tokens.clear();
    }

    // ---- the expectation, from the tally alone ----

    private static long sum(Set<String> sites, String service, LocalDate from, LocalDate to, String figure,
                            String detail, LocalDate day) {
        long total = 0;
        for (Map.Entry<Key, Long> e : tally.entrySet()) {
            Key k = e.getKey();
            if ((sites == null || sites.contains(k.site())) && (service == null || service.equals(k.service()))
                    && !k.day().isBefore(from) && !k.day().isAfter(to) && k.figure().equals(figure)
                    && (detail == null || detail.equals(k.detail())) && (day == null || day.equals(k.day()))) {
                total += e.getValue();
            }
        }
        return total;
    }

    private static Set<String> details(Set<String> sites, String service, LocalDate from, LocalDate to,
                                       String figure) {
        Set<String> out = new TreeSet<>();
        tally.forEach((k, v) -> {
            if ((sites == null || sites.contains(k.site())) && (service == null || service.equals(k.service()))
                    && !k.day().isBefore(from) && !k.day().isAfter(to) && k.figure().equals(figure)) {
                out.add(k.detail());
            }
        });
        return out;
    }

    private static Long nearestRank(List<Long> sorted, double p) {
        return sorted.isEmpty() ? null : sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }

    private static KpiFigures expected(Set<String> sites, String site, String service, LocalDate from, LocalDate to) {
        Set<String> filter = site != null ? Set.of(site) : sites;
        List<KpiFigures.KindCounts> kinds = new ArrayList<>();
        for (String kind : details(filter, service, from, to, "sent")) {
            kinds.add(new KpiFigures.KindCounts(kind, counts(filter, service, from, to, kind, null)));
        }
        for (String kind : details(filter, service, from, to, "failed")) {
            if (kinds.stream().noneMatch(k -> k.kind().equals(kind))) {
                kinds.add(new KpiFigures.KindCounts(kind, counts(filter, service, from, to, kind, null)));
            }
        }
        kinds.sort(Comparator.comparing(KpiFigures.KindCounts::kind));
        List<KpiFigures.FailureCause> failures = new ArrayList<>();
        for (String cause : details(filter, service, from, to, "failure")) {
            String[] parts = cause.split("\\|", 2);
            failures.add(new KpiFigures.FailureCause(Integer.valueOf(parts[0]), parts[1],
                    sum(filter, service, from, to, "failure", cause, null)));
        }
        failures.sort(Comparator.comparingLong(KpiFigures.FailureCause::count).reversed()
                .thenComparing(KpiFigures.FailureCause::code));
        List<KpiFigures.DayFigures> daily = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            long replies = 0;
            for (String intent : List.of("confirm", "change", "cancel", "location", "help", "stop", "other")) {
                replies += sum(filter, service, from, to, "reply", intent, d);
            }
            daily.add(new KpiFigures.DayFigures(d, sum(filter, service, from, to, "booked", "", d),
                    counts(filter, service, from, to, null, d), replies));
        }
        // queues, from the items the test saw opened and when it answered them
        Map<String, List<Item>> byQueue = new TreeMap<>();
        long emergencies = 0;
        for (Item it : items) {
            LocalDate day = it.created.atZone(zoneOf(it.site)).toLocalDate();
            if ((filter == null || filter.contains(it.site)) && (service == null || service.equals(it.service))
                    && !day.isBefore(from) && !day.isAfter(to)) {
                byQueue.computeIfAbsent(it.queue, q -> new ArrayList<>()).add(it);
                emergencies += it.urgent ? 1 : 0;
            }
        }
        List<KpiFigures.QueueFigures> queues = new ArrayList<>();
        byQueue.forEach((queue, list) -> {
            List<Long> seconds = new ArrayList<>();
            long kept = 0;
            for (Item it : list) {
                if (it.answered != null) {
                    seconds.add(Duration.between(it.created, it.answered).getSeconds());
                    Duration sla = "results".equals(queue) && RL.equals(it.site) ? Duration.ofHours(8) : SLA.get(queue);
                    if (!it.answered.isAfter(it.created.plus(sla))) {
                        kept++;
                    }
                }
            }
            seconds.sort(null);
            Long median = nearestRank(seconds, 0.5);
            Long p90 = nearestRank(seconds, 0.9);
            queues.add(new KpiFigures.QueueFigures(queue, list.size(), seconds.size(),
                    median == null ? null : Duration.ofSeconds(median), p90 == null ? null : Duration.ofSeconds(p90),
                    kept));
        });
        // no-shows, from each appointment's fate: due in the range, started by now, not cancelled
        long[][] groups = new long[3][2];
        for (Appt a : appts) {
            LocalDate day = a.start.atZone(a.zone()).toLocalDate();
            if ((filter == null || filter.contains(a.site)) && (service == null || service.equals(a.service))
                    && !day.isBefore(from) && !day.isAfter(to) && a.start.isBefore(fx.clock.instant()) && !a.cancelled) {
                int g = a.confirmed ? 0 : a.reached ? 1 : 2;
                groups[g][0]++;
                groups[g][1] += a.noShow ? 1 : 0;
            }
        }
        return new KpiFigures(site, service, from, to, sum(filter, service, from, to, "booked", "", null),
                new KpiFigures.Messages(counts(filter, service, from, to, null, null), kinds),
                new KpiFigures.Replies(sum(filter, service, from, to, "reply", "confirm", null),
                        sum(filter, service, from, to, "reply", "change", null),
                        sum(filter, service, from, to, "reply", "cancel", null),
                        sum(filter, service, from, to, "reply", "location", null),
                        sum(filter, service, from, to, "reply", "help", null),
                        sum(filter, service, from, to, "reply", "stop", null),
                        sum(filter, service, from, to, "reply", "other", null)),
                sum(filter, service, from, to, "opt_out", "", null), queues, emergencies,
                new KpiFigures.Results(NOTICE_KINDS.stream().mapToLong(kind -> sum(filter, service, from, to, "sent",
                        kind, null)).sum(),
                        sum(filter, service, from, to, "link_opened", "", null)),
                new KpiFigures.NoShowSplit(new KpiFigures.NoShowGroup(groups[0][0], groups[0][1]),
                        new KpiFigures.NoShowGroup(groups[1][0], groups[1][1]),
                        new KpiFigures.NoShowGroup(groups[2][0], groups[2][1])),
                failures, daily);
    }

    private static KpiFigures.MessageCounts counts(Set<String> sites, String service, LocalDate from, LocalDate to,
                                                   String kind, LocalDate day) {
        return new KpiFigures.MessageCounts(sum(sites, service, from, to, "sent", kind, day),
                sum(sites, service, from, to, "delivered", kind, day), sum(sites, service, from, to, "read", kind, day),
                sum(sites, service, from, to, "failed", kind, day));
    }

    // ---- the checks ----

    private static String query(String site, String service, LocalDate from, LocalDate to) {
        List<String> q = new ArrayList<>();
        if (site != null) {
            q.add("site=" + site);
        }
        if (service != null) {
            q.add("service=" + service);
        }
        q.add("from=" + from);
        q.add("to=" + to);
        return "?" + String.join("&", q);
    }

    private static void everyEndpointEqualsTheTally(StaffClient client, Set<String> visible, String site,
                                                    String service, LocalDate from, LocalDate to) throws Exception {
        KpiFigures k = expected(visible, site, service, from, to);
        String q = query(site, service, from, to);
        String what = "site=" + site + " service=" + service + " " + from + ".." + to;
        StaffClient.Answer summary = client.get("/api/v1/stats/summary" + q);
        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        assertThat(summary.json()).as(what + " summary").isEqualTo(JSON.readTree(JSON.writeValueAsString(k)));

        ObjectNode head = JSON.createObjectNode();
        head.put("site", site);
        head.put("service", service);
        head.put("from", from.toString());
        head.put("to", to.toString());

        ObjectNode messages = head.deepCopy();
        messages.set("total", JSON.valueToTree(k.messages().total()));
        var byKind = messages.putArray("byKind");
        for (KpiFigures.KindCounts kc : k.messages().byKind()) {
            ObjectNode row = byKind.addObject().put("kind", kc.kind());
            row.setAll((ObjectNode) JSON.valueToTree(kc.counts()));
        }
        var daily = messages.putArray("daily");
        for (KpiFigures.DayFigures d : k.daily()) {
            daily.addObject().put("day", d.day().toString()).setAll((ObjectNode) JSON.valueToTree(d.messages()));
        }
        assertThat(client.get("/api/v1/stats/messages" + q).json()).as(what + " messages").isEqualTo(tree(messages));

        ObjectNode replies = head.deepCopy();
        replies.set("replies", JSON.valueToTree(k.replies()));
        replies.put("optOuts", k.optOuts());
        var replyDays = replies.putArray("daily");
        for (KpiFigures.DayFigures d : k.daily()) {
            replyDays.addObject().put("day", d.day().toString()).put("replies", d.replies());
        }
        assertThat(client.get("/api/v1/stats/replies" + q).json()).as(what + " replies").isEqualTo(tree(replies));

        ObjectNode queues = head.deepCopy();
        var qs = queues.putArray("queues");
        for (KpiFigures.QueueFigures f : k.queues()) {
            ObjectNode row = qs.addObject().put("queue", f.queue()).put("items", f.items()).put("answered", f.answered());
            if (f.medianFirstAnswer() == null) {
                row.putNull("medianFirstAnswerSeconds");
                row.putNull("p90FirstAnswerSeconds");
            } else {
                row.put("medianFirstAnswerSeconds", f.medianFirstAnswer().getSeconds());
                row.put("p90FirstAnswerSeconds", f.p90FirstAnswer().getSeconds());
            }
            row.put("slaKept", f.slaKept()).put("slaKeptRate", f.items() == 0 ? 0.0 : (double) f.slaKept() / f.items());
        }
        queues.put("emergencies", k.emergencies());
        assertThat(client.get("/api/v1/stats/queues" + q).json()).as(what + " queues").isEqualTo(tree(queues));

        ObjectNode noShows = head.deepCopy();
        KpiFigures.NoShowSplit s = k.noShows();
        KpiFigures.NoShowGroup reached = new KpiFigures.NoShowGroup(
                s.confirmed().appointments() + s.reachedNotConfirmed().appointments(),
                s.confirmed().noShows() + s.reachedNotConfirmed().noShows());
        noShows.set("confirmed", group(s.confirmed()));
        noShows.set("reachedNotConfirmed", group(s.reachedNotConfirmed()));
        noShows.set("notReached", group(s.notReached()));
        noShows.set("reached", group(reached));
        noShows.put("difference", rate(s.notReached()) - rate(reached));
        assertThat(client.get("/api/v1/stats/no-shows" + q).json()).as(what + " no-shows").isEqualTo(tree(noShows));

        ObjectNode failures = head.deepCopy();
        var fs = failures.putArray("failures");
        for (KpiFigures.FailureCause f : k.failures()) {
            fs.addObject().put("code", f.code()).put("reason", f.reason()).put("count", f.count());
        }
        assertThat(client.get("/api/v1/stats/failures" + q).json()).as(what + " failures").isEqualTo(tree(failures));

        ObjectNode results = head.deepCopy();
        results.put("noticesSent", k.results().noticesSent());
        results.put("linksOpened", k.results().linksOpened());
        assertThat(client.get("/api/v1/stats/results" + q).json()).as(what + " results").isEqualTo(tree(results));
    }

    /** The node as parsed from text: numbers become the node types the API's answer parses to. */
    private static JsonNode tree(JsonNode built) throws Exception {
        return JSON.readTree(built.toString());
    }

    private static double rate(KpiFigures.NoShowGroup g) {
        return g.appointments() == 0 ? 0 : (double) g.noShows() / g.appointments();
    }

    private static ObjectNode group(KpiFigures.NoShowGroup g) {
        return JSON.createObjectNode().put("appointments", g.appointments()).put("noShows", g.noShows())
                .put("rate", rate(g));
    }

    @Test
    void theScriptIsBigEnoughToMeanSomething() {
        assertThat(appts).hasSizeGreaterThanOrEqualTo(200);
        assertThat(appts.stream().filter(a -> a.noShow).count()).isGreaterThan(20);
        assertThat(sends.size()).isGreaterThan(300);
        assertThat(items.stream().map(i -> i.queue).distinct().count()).isGreaterThanOrEqualTo(3);
        assertThat(items.stream().filter(i -> i.urgent).count()).isGreaterThan(0);
        assertThat(tally.keySet().stream().filter(k -> k.figure().equals("failure")).count()).isGreaterThan(0);
        assertThat(tally.keySet().stream().filter(k -> k.figure().equals("link_opened")).count()).isGreaterThan(0);
        KpiFigures month = expected(null, null, null, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30"));
        assertThat(month.noShows().confirmed().appointments()).isPositive();
        assertThat(month.noShows().reachedNotConfirmed().appointments()).isPositive();
        assertThat(month.noShows().notReached().appointments()).isPositive();
    }

    @Test
    void everyFigureOfTheMonthEqualsWhatTheTestDid() throws Exception {
        LocalDate from = LocalDate.parse("2026-11-01");
        LocalDate to = LocalDate.parse("2026-11-30");
        everyEndpointEqualsTheTally(admin, null, null, null, from, to);
        everyEndpointEqualsTheTally(admin, null, GH, null, from, to);
        everyEndpointEqualsTheTally(admin, null, RL, "DERM", from, to);
        everyEndpointEqualsTheTally(ghStaff, Set.of(GH), null, null, from, to);
    }

    @Test
    void everyFigureOfAWeekEqualsWhatTheTestDid() throws Exception {
        LocalDate from = LocalDate.parse("2026-11-10");
        LocalDate to = LocalDate.parse("2026-11-16");
        everyEndpointEqualsTheTally(admin, null, null, null, from, to);
        everyEndpointEqualsTheTally(admin, null, RL, null, from, to);
        everyEndpointEqualsTheTally(ghStaff, Set.of(GH), GH, "CONS", from, to);
    }

    @Test
    void theMonthlyReportsServiceGivesTheSameFigures() {
        KpiFigures viaService = fx.engine.camelContext().getRegistry()
                .lookupByNameAndType("statsService", StatsService.class).month(GH, java.time.YearMonth.of(2026, 11));
        assertThat(viaService).isEqualTo(expected(null, GH, null, LocalDate.parse("2026-11-01"),
                LocalDate.parse("2026-11-30")));
    }

    @Test
    void everyCellOfTheMonthlyReportEqualsTheTally() {
        // The report of November as the engine makes it (its statistics service, then the pure rows and the CSV
        // writer), against the report made from the figures the test computed from its own tally.
        java.time.YearMonth november = java.time.YearMonth.of(2026, 11);
        ZoneId zone = ZoneId.of("America/Detroit");
        org.careline.report.KpiReport.Header header = new org.careline.report.KpiReport.Header(GH, "GH Clinic",
                november, zone, fx.clock.instant(), "USD");
        org.careline.config.ReportsMapping.SiteReport cost = new org.careline.config.ReportsMapping.SiteReport(
                new java.math.BigDecimal("160"), "USD", List.of());
        KpiFigures viaService = fx.engine.camelContext().getRegistry()
                .lookupByNameAndType("statsService", StatsService.class).month(GH, november);
        Map<String, String[]> cells = org.careline.report.KpiReportTest.parse(org.careline.report.ReportCsv.write(
                org.careline.report.KpiReport.of(header, viaService, cost)));
        org.careline.report.KpiReport expected = org.careline.report.KpiReport.of(header,
                expected(null, GH, null, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-30")), cost);
        assertThat(cells).hasSize(expected.figures().size());
        for (org.careline.report.KpiReport.Figure f : expected.figures()) {
            assertThat(cells.get(f.section() + "|" + f.figure())).as(f.section() + " " + f.figure())
                    .containsExactly(f.section(), f.figure(), f.value(), f.unit());
        }
        assertThat(cells.get("volumes|appointments_booked")[2]).isNotEqualTo("0");
        assertThat(cells.get("no_shows|difference")[2]).isNotEmpty();
    }

    @Test
    void sitesAreTheCallersOwnAndRequestsAreChecked() {
        JsonNode all = admin.get("/api/v1/stats/sites").json();
        List<String> codes = new ArrayList<>();
        all.path("sites").forEach(s -> codes.add(s.path("code").asText()));
        assertThat(codes).contains(GH, RL);
        JsonNode mine = ghStaff.get("/api/v1/stats/sites").json();
        assertThat(mine.path("sites")).hasSize(1);
        assertThat(mine.path("sites").get(0).path("code").asText()).isEqualTo(GH);
        assertThat(mine.path("sites").get(0).path("zone").asText()).isEqualTo("America/Detroit");
        assertThat(mine.path("sites").get(0).path("services").toString()).isEqualTo("[\"CONS\",\"DERM\"]");
        assertThat(ghStaff.get("/api/v1/stats/summary?site=" + RL).status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/stats/summary?site=nowhere").status()).isEqualTo(404);
        StaffClient.Answer bad = admin.get("/api/v1/stats/summary?from=2026-11-30&to=2026-11-01");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).isEqualTo("to is before from");
        assertThat(admin.get("/api/v1/stats/queues?period=1y").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/stats/messages?from=2025-01-01&to=2026-11-30").status()).isEqualTo(400);
        JsonNode today = admin.get("/api/v1/stats/summary?period=today&site=" + RL).json();
        assertThat(today.path("from").asText()).isEqualTo(LocalDate.ofInstant(fx.clock.instant(), LONDON).toString());
        JsonNode week = admin.get("/api/v1/stats/summary").json();
        assertThat(week.path("daily")).hasSize(7);
        assertThat(portal.get("/api/v1/stats/summary").status()).as("the portal may do nothing else").isEqualTo(403);
        assertThat(portal.post("/api/v1/portal/link-opened", "{}").status()).isEqualTo(400);
    }
}
