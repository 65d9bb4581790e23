package org.careline.bench;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

/**
 * Varied SIU^S12 bookings for the benchmark: message {@code i} of a run has its own control id, appointment id,
 * patient and US mobile number, a start 3 to 20 days ahead during the site's day, one of HL7 2.3 / 2.4 / 2.5.1, and
 * the optional segments (NTE, PV1, AIP) present or not. Deterministic for a given seed, run id and index.
 *
 * <p>Phones: {@code +1 <area> 271 <4 digits>}, the number {@code i} picking area code and line, so the first
 * {@link #DISTINCT_PHONES} messages of a run each have their own phone (the end-to-end scenario matches a Cloud API
 * request to its SIU by recipient).
 */
public final class SiuGenerator {

    /** Area codes of real US mobile-capable ranges (libphonenumber: valid, FIXED_LINE_OR_MOBILE). */
    static final List<String> AREA_CODES = List.of("608", "414", "262", "715", "920", "312", "773");
    public static final int DISTINCT_PHONES = AREA_CODES.size() * 10_000;
    private static final List<String> VERSIONS = List.of("2.3", "2.4", "2.5.1");
    private static final List<String> GIVEN = List.of("JANE", "JOHN", "MARIA", "WEI", "AISHA", "LUCAS", "EMMA", "RAVI");
    private static final List<String> FAMILY = List.of("DOE", "SMITH", "GARCIA", "NGUYEN", "OKAFOR", "MULLER", "KIM");
    private static final List<String> SERVICES = List.of("CONS^Consultation", "FU^Follow-up", "XR^X-ray",
            "PT^Physiotherapy", "DERM^Dermatology");
    /** Facilities matched by no site in mappings/sites.yaml, so appointments belong to the default site. */
    private static final List<String> FACILITIES = List.of("Main Campus", "Westside Clinic", "North Annex");
    private static final DateTimeFormatter TS_MINUTES = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    private static final DateTimeFormatter TS_OFFSET = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    /** One generated message and what the harness needs to follow it. */
    public record Generated(int index, String controlId, String appointmentId, String version, String phoneDigits,
                            String text) {
    }

    private final String runId;
    private final ZoneId zone;
    private final LocalDate today;
    private final long seed;

    /**
     * @param runId short text making ids unique per run (the database is fresh each run, but the sender + control
     *              id pair must never repeat within one)
     * @param zone  the default site's zone (CARELINE_TIMEZONE): starts are during its day
     */
    public SiuGenerator(String runId, ZoneId zone, LocalDate today, long seed) {
        this.runId = runId;
        this.zone = zone;
        this.today = today;
        this.seed = seed;
    }

    /** The E.164 digits (no +) of the phone message {@code i} carries. */
    public static String phoneDigits(int i) {
        int k = Math.floorMod(i, DISTINCT_PHONES);
        return "1" + AREA_CODES.get(k / 10_000) + "271" + String.format("%04d", k % 10_000);
    }

    public Generated generate(int i) {
        Random r = new Random(seed * 1_000_003L + i);
        String version = VERSIONS.get(i % VERSIONS.size());
        String controlId = "B" + runId + "-" + i;
        String appointmentId = "APT-" + runId + "-" + i;
        String digits = phoneDigits(i);
        String area = digits.substring(1, 4);
        String local = digits.substring(4);
        ZonedDateTime start = today.plusDays(3 + r.nextInt(18)).atTime(8 + r.nextInt(9), 15 * r.nextInt(4))
                .atZone(zone);
        String ts = version.equals("2.5.1") ? TS_OFFSET.format(start) : TS_MINUTES.format(start);
        String now = TS_MINUTES.format(ZonedDateTime.now(zone));
        String given = GIVEN.get(r.nextInt(GIVEN.size()));
        String family = FAMILY.get(r.nextInt(FAMILY.size()));
        String facility = FACILITIES.get(r.nextInt(FACILITIES.size()));
        String language = r.nextInt(4) == 0 ? "es" : "en";
        // Either the structured XTN (country, area, local) or the number as text in XTN-1.
        String phone = r.nextBoolean()
                ? "^PRN^CP^^1^" + area + "^" + local
                : "(" + area + ")" + local.substring(0, 3) + "-" + local.substring(3) + "^PRN^CP";
        int duration = 15 * (1 + r.nextInt(4));

        StringBuilder b = new StringBuilder(512);
        b.append("MSH|^~\\&|EHR|HOSP|CARELINE|CL|").append(now).append("||SIU^S12|").append(controlId)
                .append("|P|").append(version).append('\r');
        b.append("SCH|PL-").append(i).append('|').append(appointmentId).append("|||||ROUTINE|NORMAL|")
                .append(duration).append("|MIN|^^").append(duration).append('^').append(ts).append('\r');
        if (r.nextBoolean()) {
            b.append("NTE|1||Please arrive 10 minutes early").append('\r');
        }
        b.append("PID|1||MRN").append(runId).append(i).append("^^^HOSP^MR||").append(family).append('^')
                .append(given).append("||19").append(50 + r.nextInt(50)).append("0").append(1 + r.nextInt(9))
                .append("1").append(r.nextInt(9)).append('|').append(r.nextBoolean() ? "F" : "M")
                .append("|||").append(1 + r.nextInt(999)).append(" Main St^^Madison^WI^53703||").append(phone)
                .append("||").append(language).append('\r');
        if (r.nextBoolean()) {
            b.append("PV1|1|O|").append("CLIN1^^^").append(facility).append('\r');
        }
        b.append("RGS|1").append('\r');
        b.append("AIS|1||").append(SERVICES.get(r.nextInt(SERVICES.size()))).append('\r');
        b.append("AIL|1||ROOM").append(1 + r.nextInt(20)).append("^^^").append(facility);
        if (r.nextBoolean()) {
            b.append('\r').append("AIP|1||D").append(r.nextInt(50)).append('^').append(FAMILY.get(r.nextInt(FAMILY.size())))
                    .append("^ANNA^^^DR");
        }
        return new Generated(i, controlId, appointmentId, version, digits, b.toString());
    }
}
