package org.careline.ingest.hl7;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds original-mode acknowledgements (MSH + MSA [+ ERR]) from the received header alone, so a message that
 * does not parse still gets a well-formed answer naming its MSH-10. The ERR segment follows the message's version:
 * ERR-2/3/4/8 from v2.5 on, ERR-1 (ELD) before.
 */
public final class AckBuilder {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis());

    private AckBuilder() {
    }

    public static String accept(MshHeader received) {
        return build(received, "AA", null, null);
    }

    public static String reply(MshHeader received, String code, String text) {
        return build(received, code, text, null);
    }

    public static String error(MshHeader received, Hl7AckException error) {
        return build(received, error.ackCode(), error.getMessage(), error);
    }

    private static String build(MshHeader in, String code, String text, Hl7AckException error) {
        MshHeader h = in != null ? in
                : new MshHeader("", "", "", "", "", "", "", "P", "2.5", "");
        String version = h.version().isEmpty() ? "2.5" : h.version();
        String trigger = h.triggerEvent();
        boolean modern = atLeast(version, 2, 5);
        String type = "ACK" + (trigger.isEmpty() ? "" : "^" + trigger) + (atLeast(version, 2, 4) && !trigger.isEmpty() ? "^ACK" : "");
        StringBuilder ack = new StringBuilder(256);
        // MSH-3..6 are echoed as the sender encoded them (HDs with components), hence not escaped.
        ack.append("MSH|^~\\&|").append(h.receivingApplication()).append('|').append(h.receivingFacility())
                .append('|').append(h.sendingApplication()).append('|').append(h.sendingFacility())
                .append('|').append(OffsetDateTime.now(ZoneOffset.UTC).format(TS)).append("||").append(type)
                .append('|').append("CL").append(SEQUENCE.incrementAndGet())
                .append('|').append(h.processingId().isEmpty() ? "P" : esc(h.processingId()))
                .append('|').append(esc(version)).append('\r');
        ack.append("MSA|").append(code).append('|').append(esc(h.controlId()));
        if (text != null && !text.isEmpty()) {
            ack.append('|').append(esc(text));
        }
        ack.append('\r');
        if (error != null) {
            String location = error.segment() == null ? ""
                    : error.segment() + "^1" + (error.field() > 0 ? "^" + error.field() : "");
            if (modern) {
                ack.append("ERR||").append(location).append('|').append(error.errorCode()).append('^')
                        .append(esc(tableText(error.errorCode()))).append("^HL70357|E||||")
                        .append(esc(error.getMessage())).append('\r');
            } else {
                // ELD: segment ^ sequence ^ field position ^ code; empty components keep the code in the 4th.
                String eld = error.segment() == null ? "^^"
                        : error.segment() + "^1^" + (error.field() > 0 ? String.valueOf(error.field()) : "");
                ack.append("ERR|").append(eld).append('^')
                        .append(error.errorCode()).append('&').append(esc(tableText(error.errorCode())))
                        .append("&HL70357").append('\r');
            }
        }
        return ack.toString();
    }

    /** Texts of HL7 table 0357 (message error condition codes) that Careline uses. */
    static String tableText(int code) {
        return switch (code) {
            case 100 -> "Segment sequence error";
            case 101 -> "Required field missing";
            case 102 -> "Data type error";
            case 103 -> "Table value not found";
            case 200 -> "Unsupported message type";
            case 201 -> "Unsupported event code";
            case 203 -> "Unsupported version id";
            case 205 -> "Duplicate key identifier";
            case 207 -> "Application internal error";
            default -> "Error";
        };
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] p = version.split("\\.");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** HL7 escaping of the delimiters, and no CR/LF inside a field. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> b.append("\\E\\");
                case '|' -> b.append("\\F\\");
                case '^' -> b.append("\\S\\");
                case '&' -> b.append("\\T\\");
                case '~' -> b.append("\\R\\");
                case '\r', '\n' -> b.append(' ');
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
