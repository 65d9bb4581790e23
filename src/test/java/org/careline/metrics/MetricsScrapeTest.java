package org.careline.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.support.EngineFixture;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.careline.support.PrometheusText;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real engine scraped over HTTP and read with a strict parser of the exposition format (support/PrometheusText):
 * who may read /metrics on the HTTP port, the second port without a token, every Careline family's TYPE and HELP,
 * and counters that move by exactly what the test did (SIU answered AA and AE over MLLP, signed and unsigned
 * webhooks, a send the Cloud API stand-in fails once). The Grafana dashboard's queries name only metrics a scrape has.
 */
class MetricsScrapeTest {

    private static final String PASSWORD = "metrics-password-123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EngineFixture fx;
    private static int metricsPort;
    private static final Map<String, String> TOKENS = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        metricsPort = EngineFixture.freePort();
        fx = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", PASSWORD,
                "CARELINE_METRICS_PORT", String.valueOf(metricsPort), "CARELINE_METRICS_CACHE_MS", "0"),
                Instant.now());
        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        for (String role : List.of("staff", "analyst", "auditor", "admin")) {
            String user = "metrics-" + role;
            assertThat(admin.post("/api/v1/users", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD
                    + "\",\"roles\":[\"" + role + "\"]}").status()).isEqualTo(201);
            StaffClient.Answer made = admin.post("/api/v1/tokens", "{\"username\":\"" + user
                    + "\",\"name\":\"prometheus\"}");
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            TOKENS.put(role, made.json().get("token").asText());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void onTheHttpPortOnlyAnAnalystsOrAdminsTokenReadsMetrics() throws Exception {
        assertThat(get(fx.httpPort(), null, null).statusCode()).isEqualTo(401);
        assertThat(get(fx.httpPort(), null, null).headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(get(fx.httpPort(), "Bearer not-a-token", null).statusCode()).isEqualTo(401);
        assertThat(get(fx.httpPort(), "Basic " + TOKENS.get("admin"), null).statusCode()).isEqualTo(401);
        // a signed-in browser is not a scraper
        StaffClient session = new StaffClient(fx.httpPort()).signedIn("metrics-admin", PASSWORD);
        assertThat(session.get("/metrics").status()).isEqualTo(401);
        assertThat(get(fx.httpPort(), "Bearer " + TOKENS.get("staff"), null).statusCode()).isEqualTo(403);
        assertThat(get(fx.httpPort(), "Bearer " + TOKENS.get("auditor"), null).statusCode()).isEqualTo(403);
        for (String role : List.of("analyst", "admin")) {
            HttpResponse<String> ok = get(fx.httpPort(), "Bearer " + TOKENS.get(role), null);
            assertThat(ok.statusCode()).as(role).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("text/plain; version=0.0.4");
            assertThat(PrometheusText.parse(ok.body())).containsKey("careline_sends_total");
        }
        // the token in the query counts for nothing (as on /api/v1)
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort()
                        + "/metrics?Authorization=Bearer%20" + TOKENS.get("admin"))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(fx.count("SELECT COUNT(*) FROM audit_event WHERE action = 'denied' AND subject = 'GET /metrics'"))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void theMetricsPortAnswersWithoutATokenAndNothingElse() throws Exception {
        HttpResponse<String> ok = get(metricsPort, null, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(PrometheusText.parse(ok.body())).containsKeys("careline_queue_due_items", "jvm_memory_used_bytes");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/api/v1/users"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void countersMoveByWhatHappenedAndGaugesShowTheQueues() throws Exception {
        Map<String, PrometheusText.Family> before = scrape();
        List<String> controlIds = new ArrayList<>();
        Instant start = fx.clock.instant().plus(Duration.ofDays(3));
        try (MllpClient mllp = fx.mllp()) {
            for (int i = 0; i < 3; i++) {
                Siu siu = Siu.booking(start.plus(Duration.ofHours(i)));
                controlIds.add(siu.build().split("\r")[0].split("\\|")[9]);
                assertThat(MllpClient.field(mllp.send(siu.build()), "MSA", 1)).isEqualTo("AA");
            }
            Siu bad = Siu.booking(start).rawStart("");
            assertThat(MllpClient.field(mllp.send(bad.build()), "MSA", 1)).isEqualTo("AE");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'SENT'") == 3);

        // The next send fails with a retryable Cloud API error, then goes through once its retry is due.
        fx.meta.replyNext(503, MetaStub.graphError(131000, "Something went wrong"));
        try (MllpClient mllp = fx.mllp()) {
            assertThat(MllpClient.field(mllp.send(Siu.booking(start.plus(Duration.ofHours(5))).build()), "MSA", 1))
                    .isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape().get("careline_sends_total")
                .sum("careline_sends_total", "outcome", "retry", "code", "131000")
                - before.get("careline_sends_total").sum("careline_sends_total", "outcome", "retry", "code", "131000")
                == 1);
        fx.clock.advance(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.count("SELECT COUNT(*) FROM outbox WHERE status = 'SENT'") == 4);
        fx.clock.advance(Duration.ofSeconds(1));

        String wamid = (String) fx.query("SELECT wamid FROM outbox WHERE status = 'SENT' ORDER BY id").get(0)
                .get("WAMID");
        assertThat(MetaWebhooks.post(fx, MetaWebhooks.statusPayload(MetaWebhooks.status(wamid, "delivered",
                fx.clock.instant()))).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, "{}".getBytes(StandardCharsets.UTF_8), "sha256=00", "application/json")
                .status()).isEqualTo(401);

        // An open triage item, waiting five minutes.
        try (Connection c = fx.engine.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO staff_handoff (phone_e164, reason, urgent, "
                     + "created_at, queue, status) VALUES ('+10000000000', 'HELP', FALSE, ?, 'scheduling', 'OPEN')")) {
            ps.setObject(1, OffsetDateTime.ofInstant(fx.clock.instant().minusSeconds(300), ZoneOffset.UTC));
            ps.executeUpdate();
        }

        System.gc(); // the engine runs in this JVM: at least one GC pause for the JVM panels' metrics
        String text = scrapeText(metricsPort, null);
        Map<String, PrometheusText.Family> after = PrometheusText.parse(text);

        assertThat(delta(before, after, "careline_hl7_messages_total", "type", "SIU", "event", "S12", "ack", "AA"))
                .isEqualTo(4);
        assertThat(delta(before, after, "careline_hl7_messages_total", "type", "SIU", "event", "S12", "ack", "AE"))
                .isEqualTo(1);
        assertThat(delta(before, after, "careline_hl7_messages_total", "ack", "AR")).isZero();
        assertThat(delta(before, after, "careline_sends_total", "outcome", "sent")).isEqualTo(4);
        assertThat(delta(before, after, "careline_sends_total", "outcome", "retry")).isEqualTo(1);
        assertThat(delta(before, after, "careline_sends_total", "outcome", "dead")).isZero();
        assertThat(delta(before, after, "careline_webhook_requests_total", "outcome", "stored")).isEqualTo(1);
        assertThat(delta(before, after, "careline_webhook_requests_total", "outcome", "unauthorized")).isEqualTo(1);
        // the clock stood still for the first three sends; the fourth went out a second ago
        assertThat(value(after, "careline_send_rate_per_second")).isEqualTo(1 / 60.0);
        assertThat(value(after, "careline_send_rate_cap_per_second"))
                .isEqualTo(fx.settings.sendRatePerSecond());
        assertThat(value(after, "careline_sending_paused")).isZero();
        assertThat(after.get("careline_queue_due_items").sum("careline_queue_due_items", "queue", "triage"))
                .isEqualTo(1);
        assertThat(after.get("careline_queue_oldest_due_age_seconds")
                .sum("careline_queue_oldest_due_age_seconds", "queue", "triage")).isEqualTo(300);
        for (String q : List.of("outbox", "writeback", "fhir_work", "webhook", "alert_delivery", "triage")) {
            assertThat(after.get("careline_queue_due_items").matching("careline_queue_due_items", "queue", q))
                    .as(q).hasSize(1);
        }

        // Every Careline family says what it is; counters end in _total.
        Map<String, String> types = Map.ofEntries(Map.entry("careline_hl7_messages_total", "counter"),
                Map.entry("careline_sends_total", "counter"), Map.entry("careline_webhook_requests_total", "counter"),
                Map.entry("careline_fhir_notifications_total", "counter"),
                Map.entry("careline_queue_due_items", "gauge"),
                Map.entry("careline_queue_oldest_due_age_seconds", "gauge"),
                Map.entry("careline_fhir_last_event_age_seconds", "gauge"),
                Map.entry("careline_fhir_synced_until_lag_seconds", "gauge"),
                Map.entry("careline_send_rate_per_second", "gauge"),
                Map.entry("careline_send_rate_cap_per_second", "gauge"),
                Map.entry("careline_sending_paused", "gauge"),
                Map.entry("careline_camel_exchanges_total", "counter"),
                Map.entry("jvm_memory_used_bytes", "gauge"), Map.entry("jvm_threads_live_threads", "gauge"),
                Map.entry("process_cpu_usage", "gauge"), Map.entry("jvm_gc_pause_seconds", "summary"));
        types.forEach((name, type) -> {
            assertThat(after).as(name).containsKey(name);
            assertThat(after.get(name).type).as(name).isEqualTo(type);
        });
        after.values().stream().filter(f -> f.name.startsWith("careline_") && !f.name.startsWith("careline_camel_"))
                .forEach(f -> {
                    assertThat(f.help).as(f.name + " HELP").isNotBlank();
                    assertThat(f.type).as(f.name + " TYPE").isIn("counter", "gauge");
                    if (f.type.equals("counter")) {
                        assertThat(f.name).endsWith("_total");
                    }
                });

        // No label carries what identifies a patient or a message.
        for (String id : controlIds) {
            assertThat(text).doesNotContain(id);
        }
        assertThat(text).doesNotContain(wamid).doesNotContain("2719000").doesNotContain("DOE")
                .doesNotContain("10000000000").doesNotContain("MRN");

        // The Grafana dashboard asks only for metrics a scrape has.
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("docs/grafana/careline.json")));
        Set<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:careline|jvm|process|system)_[a-zA-Z0-9_]*)");
        dashboard.findValues("expr").forEach(e -> {
            Matcher m = metric.matcher(e.asText());
            while (m.find()) {
                queried.add(m.group(1));
            }
        });
        assertThat(queried).isNotEmpty();
        Set<String> samples = new TreeSet<>();
        after.values().forEach(f -> f.samples.forEach(s -> samples.add(s.name())));
        assertThat(samples).containsAll(queried);
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(9);
    }

    private static double delta(Map<String, PrometheusText.Family> before, Map<String, PrometheusText.Family> after,
                                String name, String... labels) {
        double was = before.containsKey(name) ? before.get(name).sum(name, labels) : 0;
        return after.get(name).sum(name, labels) - was;
    }

    private static double value(Map<String, PrometheusText.Family> scrape, String name) {
        return scrape.get(name).sum(name);
    }

    private static Map<String, PrometheusText.Family> scrape() throws Exception {
        return PrometheusText.parse(scrapeText(fx.httpPort(), "Bearer " + TOKENS.get("analyst")));
    }

    private static String scrapeText(int port, String authorization) throws Exception {
        HttpResponse<String> r = get(port, authorization, null);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> get(int port, String authorization, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET()
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
