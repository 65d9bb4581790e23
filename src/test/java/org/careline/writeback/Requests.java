package org.careline.writeback;

import org.careline.store.WritebackRequests;
import org.careline.model.WritebackAction;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MllpClient;
import org.careline.support.SchedulingPeer;
import org.careline.support.Siu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Steps the write-back flow tests share: book an appointment over MLLP, queue a request, read it back. */
final class Requests {

    // A Tuesday at 14:00 in Detroit; appointments are three days later.
    static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    static final Instant START = NOW.plus(Duration.ofDays(3));
    /** Beyond the longest backoff (5 min): every retry is due again. */
    static final Duration PAST_ANY_BACKOFF = Duration.ofMinutes(6);
    static final Duration WAIT = Duration.ofSeconds(10);

    private Requests() {
    }

    /** An engine sending to {@code peer}; a short ACK timeout, so a peer that never answers costs a second. */
    static Map<String, String> env(SchedulingPeer peer) {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_SCHEDULING_MLLP", peer.address());
        env.put("CARELINE_WRITEBACK_INTERVAL_MS", "100");
        env.put("CARELINE_SCHEDULING_TIMEOUT_MS", "1000");
        return env;
    }

    /** An appointment booked over MLLP in the given HL7 version, with the ids its feed sent. */
    record Booked(long id, String placerId, String fillerId, String patientId) {
    }

    static Booked book(EngineFixture fx, String version) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        Siu siu = Siu.booking(START).version(version).placerId("PL-" + tag).fillerId("APT-" + tag)
                .patientId("MRN" + tag);
        Flow.accepted(fx, siu);
        long id = ((Number) fx.query("SELECT id FROM appointment WHERE external_id = ?", "APT-" + tag).get(0)
                .get("ID")).longValue();
        return new Booked(id, "PL-" + tag, "APT-" + tag, "MRN" + tag);
    }

    /** An appointment as the FHIR inbound side stores one: source FHIR, ids the FHIR server's logical ids. */
    record FhirBooked(long id, String appointmentFhirId, String patientFhirId, String phone) {
        /** The sender's digits as Meta puts them in a webhook's "from". */
        String from() {
            return phone.substring(1);
        }
    }

    /** Stores a FHIR-fed appointment at {@code siteCode} directly (no inbound side needed), three days ahead. */
    static FhirBooked fhirBook(EngineFixture fx, String siteCode) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String phone = "+1608555" + String.format("%04d", Math.floorMod(tag.hashCode(), 10_000));
        long id = fx.engine.database().inTransaction(c -> {
            OffsetDateTime now = OffsetDateTime.ofInstant(fx.clock.instant(), ZoneOffset.UTC);
            long patient;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO patient (patient_key, identifier, given_name, "
                    + "family_name, phone_e164, language, updated_at) VALUES (?, ?, 'Ana', 'Lopez', ?, 'en', ?)",
                    new String[]{"id"})) {
                ps.setString(1, "FHIR|Patient/pat-" + tag);
                ps.setString(2, "pat-" + tag);
                ps.setString(3, phone);
                ps.setObject(4, now);
                ps.executeUpdate();
                patient = key(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO appointment (source, external_id, filler_id, "
                    + "patient_id, status, start_at, duration_min, site_code, reachable, created_at, updated_at) "
                    + "VALUES ('FHIR', ?, ?, ?, 'BOOKED', ?, 30, ?, TRUE, ?, ?)", new String[]{"id"})) {
                ps.setString(1, "appt-" + tag);
                ps.setString(2, "appt-" + tag);
                ps.setLong(3, patient);
                ps.setObject(4, OffsetDateTime.ofInstant(fx.clock.instant().plus(Duration.ofDays(3)), ZoneOffset.UTC));
                ps.setString(5, siteCode);
                ps.setObject(6, now);
                ps.setObject(7, now);
                ps.executeUpdate();
                return key(ps);
            }
        });
        return new FhirBooked(id, "appt-" + tag, "pat-" + tag, phone);
    }

    private static long key(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    /** Queues a request as the reply handler does: through WritebackRequests, in a transaction of the caller's. */
    static long enqueue(EngineFixture fx, long appointmentId, WritebackAction action) {
        return fx.engine.database().inTransaction(c ->
                new WritebackRequests(org.careline.store.crypto.FieldCipher.off()).enqueue(c, appointmentId, action, null, fx.clock.instant()));
    }

    static Map<String, Object> request(EngineFixture fx, long id) throws SQLException {
        return fx.query("SELECT * FROM writeback_request WHERE id = ?", id).get(0);
    }

    static String status(EngineFixture fx, long id) throws SQLException {
        return (String) request(fx, id).get("STATUS");
    }

    static int attempts(EngineFixture fx, long id) throws SQLException {
        return ((Number) request(fx, id).get("ATTEMPTS")).intValue();
    }

    /** Messages the peer received about one appointment (by ARQ-2, the filler id), in order. */
    static List<String> receivedFor(SchedulingPeer peer, String fillerId) {
        return peer.received().stream().filter(m -> fillerId.equals(arq2(m))).toList();
    }

    static String arq2(String message) {
        String arq = MllpClient.field(message, "ARQ", 2);
        return arq == null ? null : arq.split("\\^")[0];
    }

    static String trigger(String message) {
        return MllpClient.field(message, "MSH", 9).split("\\^")[1];
    }

    /** Writes to a capture buffer and on to the original stream (standard error, where the engine logs). */
    static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (copy) {
                copy.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            synchronized (copy) {
                copy.write(buf, off, len);
            }
            original.write(buf, off, len);
        }
    }
}
