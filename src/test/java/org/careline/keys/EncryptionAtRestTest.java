package org.careline.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.store.crypto.DataKeys;
import org.careline.store.crypto.KeyRing;
import org.careline.store.crypto.MasterKey;
import org.careline.store.crypto.SealedColumns;
import org.careline.support.DataFileScan;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MetaWebhooks;
import org.careline.support.Postgres;
import org.careline.support.Siu;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Encryption at rest through the running engine: a patient booked over MLLP, confirmed (the Cloud API stand-in gets
 * the real number and name), writing back (found by number) and answered by staff leaves no name, MRN or number in
 * the database file; the same data reads after a restart; another master key refuses to start; a rotation moves
 * old values to the new key; switching encryption on converts a clear database; PostgreSQL's text columns hold
 * none of it either.
 */
public class EncryptionAtRestTest {

    static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    static final String PASSWORD = "encryption-test-password";
    static final String FAMILY = "VELLACORTIX";
    static final String GIVEN = "PERPETUINA";
    static final String MRN = "MRNVP202611";
    static final String XTN = "^PRN^CP^^1^608^2714455";
    static final String DIGITS = "16082714455";
    static final String WORDS = "Are my test results back? Signed " + GIVEN;

    public static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    static Map<String, String> env(String key, Path reuseDir) {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_ADMIN_PASSWORD", PASSWORD);
        // The re-sealer's rounds every 100 ms rather than 3 s: a rotation's pass over every column takes seconds.
        env.put("CARELINE_KEY_RESEAL_INTERVAL_MS", "100");
        if (key != null) {
            env.put("CARELINE_MASTER_KEY", key);
        }
        if (reuseDir != null) {
            env.put("CARELINE_DB_URL", "jdbc:h2:file:" + reuseDir.resolve("careline")
                    + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        }
        return env;
    }

    static List<String> forms() {
        return List.of(FAMILY, GIVEN, MRN, DIGITS, "6082714455").stream().map(s -> s.toLowerCase(Locale.ROOT))
                .toList();
    }

    /** Booking, confirmation, the patient's message (to the results queue), a staff answer. */
    static void bookWriteAndAnswer(EngineFixture fx) throws Exception {
        Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(3))).patientId(MRN).patientName(FAMILY + "^" + GIVEN)
                .phone(XTN).note("Bring the letter for " + GIVEN + " " + FAMILY));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() >= 1);
        MetaStub.Received confirmation = fx.meta.received().get(0);
        assertThat(confirmation.json().get("to").asText()).isEqualTo(DIGITS);
        assertThat(confirmation.body()).containsIgnoringCase(GIVEN);

        String wamid = "wamid.IN" + UUID.randomUUID();
        ObjectNode payload = MetaWebhooks.textMessage(wamid, DIGITS, fx.clock.instant());
        ((ObjectNode) MetaWebhooks.messages(payload).get(0)).putObject("text").put("body", WORDS);
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !fx.query(
                "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", wamid).isEmpty());
        int before = fx.meta.received().size();

        StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
        JsonNode items = admin.get("/api/v1/handoffs?status=OPEN").json();
        assertThat(items).hasSize(1);
        String item = "/api/v1/handoffs/" + items.get(0).get("id").asLong();
        JsonNode detail = admin.get(item).json();
        assertThat(detail.toString().toLowerCase(Locale.ROOT)).as("staff see the patient's words and name")
                .contains(WORDS.toLowerCase(Locale.ROOT), FAMILY.toLowerCase(Locale.ROOT));
        assertThat(admin.post(item + "/claim", "{}").status()).isEqualTo(200);
        assertThat(admin.post(item + "/reply", "{\"text\":\"Dear " + GIVEN + ", they are in the portal.\"}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.meta.received().size() > before);
        MetaStub.Received answer = fx.meta.received().get(fx.meta.received().size() - 1);
        assertThat(answer.json().get("to").asText()).isEqualTo(DIGITS);
        assertThat(answer.body()).containsIgnoringCase("Dear " + GIVEN);
        Flow.awaitIdle(fx);
    }

    @Test
    void noNameMrnOrNumberIsInTheFileAndTheDataReadsAfterARestartWithTheKeyOnly() throws Exception {
        String key = randomKey();
        Path data;
        try (EngineFixture fx = EngineFixture.start(env(key, null), NOW)) {
            bookWriteAndAnswer(fx);
            data = fx.dataDir;
            assertThat(fx.count("SELECT COUNT(*) FROM patient WHERE phone_e164 LIKE 'h1:%' "
                    + "AND given_name LIKE 'enc:v1:%'")).isEqualTo(1);
        }
        assertThat(DataFileScan.hits(data, forms())).as("names, MRN and number in the database files").isEmpty();

        try (EngineFixture fx = EngineFixture.start(env(key, data), NOW)) {
            StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
            JsonNode found = admin.get("/api/v1/patients?mrn=" + MRN).json().get("patients");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).get("name").asText()).containsIgnoringCase(FAMILY);
            assertThat(admin.get("/api/v1/patients?phone=%2B" + DIGITS).json().get("patients")).hasSize(1);
            String export = admin.get("/api/v1/patients/" + found.get(0).get("id").asLong() + "/export").body();
            assertThat(export.toLowerCase(Locale.ROOT)).contains(Stream.of(GIVEN, FAMILY, MRN, "+" + DIGITS, WORDS,
                    "they are in the portal").map(v -> v.toLowerCase(Locale.ROOT)).toArray(String[]::new));
        }

        assertThatThrownBy(() -> EngineFixture.start(env(randomKey(), data), NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the master key does not open data key")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> EngineFixture.start(env(null, data), NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither CARELINE_MASTER_KEY nor CARELINE_MASTER_KEY_FILE is set");
    }

    @Test
    void aRotationSealsNewValuesWithTheNewKeyMovesTheOldOnesAndRetiresTheOldKey() throws Exception {
        String key = randomKey();
        try (EngineFixture fx = EngineFixture.start(env(key, null), NOW)) {
            bookWriteAndAnswer(fx);
            String first = activeKey(fx);
            assertThat(fx.count("SELECT COUNT(*) FROM patient WHERE given_name LIKE ?", "enc:v1:" + first + ":%"))
                    .isEqualTo(1);

            KeyRing ring = KeyWiring.rotate(fx.engine.database(), MasterKey.fromBase64(key),
                    fx.clock.instant().plusSeconds(1)); // the key made later is the active one
            String second = ring.activeId();
            assertThat(second).isNotEqualTo(first);
            // The running engine reloads its keys within a round of the re-sealer, moves the old values, and drops
            // the old key once it seals nothing.
            await().atMost(Duration.ofSeconds(60)).until(() -> fx.count("SELECT COUNT(*) FROM data_key") == 1);
            assertThat(activeKey(fx)).isEqualTo(second);
            Map<String, Long> counts = fx.engine.database().inTransaction(c -> SealedColumns.counts(c,
                    List.of(first, second)));
            assertThat(counts.get(first)).isZero();
            assertThat(counts.get(second)).isPositive();
            assertThat(counts.get("clear")).isZero();

            Flow.accepted(fx, Siu.booking(NOW.plus(Duration.ofDays(5))).patientId("MRNNEW0001")
                    .patientName("NEWCOMBE^ALBA").phone("^PRN^CP^^1^608^2719988"));
            assertThat(fx.count("SELECT COUNT(*) FROM patient WHERE given_name LIKE ?", "enc:v1:" + second + ":%"))
                    .isEqualTo(2);
            StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
            assertThat(admin.get("/api/v1/patients?mrn=" + MRN).json().get("patients").get(0).get("name").asText())
                    .containsIgnoringCase(FAMILY);
        }
    }

    @Test
    void switchingEncryptionOnConvertsAClearDatabaseAndLookupsKeepWorking() throws Exception {
        Path data;
        try (EngineFixture fx = EngineFixture.start(env(null, null), NOW)) {
            bookWriteAndAnswer(fx);
            data = fx.dataDir;
            assertThat(fx.count("SELECT COUNT(*) FROM patient WHERE UPPER(family_name) = ?", FAMILY.toUpperCase(Locale.ROOT))).isEqualTo(1);
        }
        String key = randomKey();
        try (EngineFixture fx = EngineFixture.start(env(key, data), NOW)) {
            String id = activeKey(fx);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Long> counts = fx.engine.database().inTransaction(c -> SealedColumns.counts(c,
                        List.of(id)));
                return counts.get("clear") == 0 && counts.get("unhashed") == 0;
            });
            for (String form : forms()) {
                for (SealedColumns.Column col : SealedColumns.ALL) {
                    assertThat(fx.count("SELECT COUNT(*) FROM " + col.table() + " WHERE LOWER(" + col.column()
                            + ") LIKE ?", "%" + form + "%")).as(col.name() + " holds " + form).isZero();
                }
            }
            assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body_hash NOT LIKE 'h1:%'")).isZero();
            StaffClient admin = new StaffClient(fx.httpPort()).signedIn("admin", PASSWORD);
            JsonNode byPhone = admin.get("/api/v1/patients?phone=%2B" + DIGITS).json().get("patients");
            assertThat(byPhone).hasSize(1);
            assertThat(byPhone.get(0).get("name").asText()).containsIgnoringCase(FAMILY);
            // The number still finds its conversation: a further message joins the open handoff.
            String wamid = "wamid.IN" + UUID.randomUUID();
            ObjectNode payload = MetaWebhooks.textMessage(wamid, DIGITS, fx.clock.instant());
            ((ObjectNode) MetaWebhooks.messages(payload).get(0)).putObject("text").put("body", "Any news?");
            assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !fx.query(
                    "SELECT id FROM inbound_reply WHERE wamid = ? AND intent IS NOT NULL", wamid).isEmpty());
            assertThat(fx.count("SELECT COUNT(*) FROM contact_preference")).isEqualTo(1);
        }
    }

    @Test
    void onPostgresNoTextColumnHoldsTheNameMrnOrNumber() throws Exception {
        Map<String, String> env = new HashMap<>(env(randomKey(), null));
        env.putAll(Postgres.freshDatabaseEnv());
        try (EngineFixture fx = EngineFixture.start(env, NOW)) {
            bookWriteAndAnswer(fx);
            List<Map<String, Object>> columns = fx.query("SELECT table_name, column_name FROM information_schema.columns "
                    + "WHERE table_schema = 'public' AND data_type IN ('character varying', 'text', 'character')");
            assertThat(columns).hasSizeGreaterThan(50);
            List<String> hits = new ArrayList<>();
            for (Map<String, Object> col : columns) {
                for (String form : forms()) {
                    if (fx.count("SELECT COUNT(*) FROM " + col.get("TABLE_NAME") + " WHERE LOWER("
                            + col.get("COLUMN_NAME") + ") LIKE ?", "%" + form + "%") > 0) {
                        hits.add(col.get("TABLE_NAME") + "." + col.get("COLUMN_NAME") + ": " + form);
                    }
                }
            }
            assertThat(hits).isEmpty();
        }
    }

    private static String activeKey(EngineFixture fx) {
        List<KeyRing.Wrapped> keys = fx.engine.database().inTransaction(new DataKeys()::load);
        return keys.get(keys.size() - 1).keyId();
    }
}
