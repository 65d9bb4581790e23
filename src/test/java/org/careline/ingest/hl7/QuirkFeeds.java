package org.careline.ingest.hl7;

import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.support.EngineFixture;
import org.careline.support.MllpClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** What the quirk tests check a mapping change by: the number the SIU mapper reads, and what an engine queues. */
final class QuirkFeeds {

    /** MSA-1 of the engine's ACK, and how many confirmations were queued to the number for the appointment. */
    record Outcome(String ack, long confirmations) {
    }

    private QuirkFeeds() {
    }

    /** The patient's WhatsApp number as the SIU mapper reads the message with these mappings. */
    static String phoneRead(Path mappings, String siu) throws Exception {
        SiuMapper mapper = new SiuMapper(SiuMapping.load(mappings),
                SiteDirectory.load(mappings, ZoneId.of("America/New_York"), "US"));
        return mapper.map(new Hl7Receiver().parse(siu.getBytes(StandardCharsets.UTF_8))).phoneE164();
    }

    /** Sends the message over MLLP to an engine running on these mappings at {@code now}. */
    static Outcome send(Path mappings, Instant now, String siu, String externalId, String phone) throws Exception {
        try (EngineFixture fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", mappings.toString()), now);
             MllpClient client = fx.mllp()) {
            String ack = MllpClient.field(client.send(siu), "MSA", 1);
            return new Outcome(ack, fx.count("SELECT COUNT(*) FROM outbox o JOIN appointment a "
                    + "ON a.id = o.appointment_id JOIN patient p ON p.id = a.patient_id WHERE a.external_id = ? "
                    + "AND o.kind = 'CONFIRMATION' AND p.phone_e164 = ?", externalId, phone));
        }
    }
}
