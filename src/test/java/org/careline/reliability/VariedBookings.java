package org.careline.reliability;

import org.careline.bench.SiuGenerator;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Varied SIU^S12 bookings for the crash and write-back suites: the benchmark's generator (own control id,
 * appointment id, patient, US mobile number, start 3–20 days ahead, HL7 2.3 / 2.4 / 2.5.1, optional segments), with
 * a patient name and an appointment note of its own per message, long enough for {@link SecretsInLogs} to look for.
 */
final class VariedBookings {

    /** One booking and the PHI it carries. */
    record Booking(int index, String controlId, String appointmentId, String phoneE164, String given, String family,
                   String note, String text) {
    }

    private final SiuGenerator generator;
    private final String runId;

    VariedBookings(String runId, ZoneId zone, long seed) {
        this.runId = runId;
        this.generator = new SiuGenerator(runId, zone, LocalDate.now(zone), seed);
    }

    Booking booking(int i) {
        SiuGenerator.Generated g = generator.generate(i);
        String tag = letters(i);
        String given = "ROSALIND" + tag;
        String family = "QUENNELL" + tag;
        String note = "Bring referral letter " + runId + "-" + i;
        StringBuilder text = new StringBuilder(g.text().length() + 64);
        boolean hasNote = false;
        for (String segment : g.text().split("\r")) {
            if (text.length() > 0) {
                text.append('\r');
            }
            if (segment.startsWith("PID|")) {
                String[] f = segment.split("\\|", -1);
                f[5] = family + "^" + given;
                segment = String.join("|", f);
            } else if (segment.startsWith("NTE|")) {
                segment = "NTE|1||" + note;
                hasNote = true;
            }
            text.append(segment);
        }
        return new Booking(i, g.controlId(), g.appointmentId(), "+" + g.phoneDigits(), given, family,
                hasNote ? note : null, text.toString());
    }

    /** Registers the booking's PHI with the log check. */
    static void watch(SecretsInLogs secrets, Booking b) {
        secrets.watch(b.given()).watch(b.family()).watchPhone(b.phoneE164()).watch(b.note());
    }

    /** 0 → "AAA", 1 → "AAB", ...: letters only, so a name never looks like an id. */
    private static String letters(int i) {
        char[] c = new char[3];
        int k = i;
        for (int p = 2; p >= 0; p--) {
            c[p] = (char) ('A' + k % 26);
            k /= 26;
        }
        return new String(c);
    }
}
