package org.careline.support;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Builds SIU messages for tests: sensible defaults, each part replaceable. */
public final class Siu {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    private String trigger = "S12";
    private String version = "2.5";
    private String controlId = "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private String sendingApp = "EHR";
    private String fillerId = "APT-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private String placerId = "PL1";
    private String start;
    private String phone = "^PRN^CP^^1^608^2719000";
    private String language = "en";
    private String facility = "GH Clinic";
    private String serviceCode = "CONS";
    private String note = "Bring your insurance card";
    private String[] moreNotes = new String[0];
    private String provider = "D1^SMITH^ANNA^^^DR";
    private String aig;
    private String charset = "";
    private String separator = "\r";
    // 12 hex digits (ids too): with 6, the long reliability runs (thousands of bookings) drew the same MRN twice
    // about one run in three.
    private String patientId = "MRN" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private String patientName = "DOE^JANE^Q";
    private String[] afterPid = new String[0];

    public static Siu booking(Instant start) {
        Siu s = new Siu();
        s.start = TS.format(start.atZone(ZoneId.of("America/Detroit")));
        return s;
    }

    public Siu trigger(String t) { this.trigger = t; return this; }
    public Siu version(String v) { this.version = v; return this; }
    public Siu controlId(String c) { this.controlId = c; return this; }
    public Siu sendingApp(String a) { this.sendingApp = a; return this; }
    public Siu fillerId(String id) { this.fillerId = id; return this; }
    public Siu placerId(String id) { this.placerId = id; return this; }
    public Siu start(Instant t) { this.start = TS.format(t.atZone(ZoneId.of("America/Detroit"))); return this; }
    public Siu rawStart(String s) { this.start = s; return this; }
    public Siu phone(String xtn) { this.phone = xtn; return this; }
    public Siu language(String l) { this.language = l; return this; }
    public Siu facility(String f) { this.facility = f; return this; }
    public Siu serviceCode(String c) { this.serviceCode = c; return this; }
    public Siu note(String n) { this.note = n; return this; }
    /** Further appointment notes, each its own NTE segment after the first. */
    public Siu moreNotes(String... n) { this.moreNotes = n.clone(); return this; }
    /** AIP-3 (XCN: id^family^given^middle^suffix^prefix). */
    public Siu provider(String xcn) { this.provider = xcn; return this; }
    /** Adds an AIG segment whose resource (AIG-3, CWE) is {@code cwe}, e.g. "KM^kmurphy2". */
    public Siu aig(String cwe) { this.aig = cwe; return this; }
    /** The same message again under a new control id (MSH-10), so it is not taken for a resend. */
    public Siu newControlId() { this.controlId = "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 12); return this; }
    public Siu charset(String c) { this.charset = c; return this; }
    public Siu separator(String s) { this.separator = s; return this; }
    public Siu patientId(String id) { this.patientId = id; return this; }
    /** PID-5 (XPN: family^given^middle). */
    public Siu patientName(String xpn) { this.patientName = xpn; return this; }

    /** Segments written right after PID (PD1, CON ...), as given. */
    public Siu afterPid(String... segments) { this.afterPid = segments.clone(); return this; }
    public String controlId() { return controlId; }
    public String fillerId() { return fillerId; }

    public String build() {
        String msh = "MSH|^~\\&|" + sendingApp + "|HOSP|CARELINE|CL|20260101120000||SIU^" + trigger + "|" + controlId
                + "|P|" + version + (charset.isEmpty() ? "" : "||||||" + charset);
        String sch = "SCH|" + placerId + "|" + fillerId + "|||||ROUTINE|NORMAL|30|MIN|^^30^" + (start == null ? "" : start);
        String nte = note == null ? null : "NTE|1||" + note;
        String pid = "PID|1||" + patientId + "^^^HOSP^MR||" + patientName + "||19800101|F|||1 Main St^^Detroit^MI^48201||"
                + phone + "||" + language;
        String ais = "AIS|1||" + serviceCode + "^Consultation";
        String ail = "AIL|1||ROOM1^^^" + facility;
        String aip = "AIP|1||" + provider;
        StringBuilder b = new StringBuilder(msh).append(separator).append(sch).append(separator);
        if (nte != null) b.append(nte).append(separator);
        for (int i = 0; i < moreNotes.length; i++) {
            b.append("NTE|").append(i + 2).append("||").append(moreNotes[i]).append(separator);
        }
        b.append(pid).append(separator);
        for (String segment : afterPid) {
            b.append(segment).append(separator);
        }
        b.append("RGS|1").append(separator).append(ais).append(separator);
        if (aig != null) b.append("AIG|1||").append(aig).append(separator); // SIU's order: AIS, AIG, AIL, AIP
        b.append(ail).append(separator).append(aip);
        return b.toString();
    }
}
