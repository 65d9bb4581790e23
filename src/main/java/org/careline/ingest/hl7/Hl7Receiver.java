package org.careline.ingest.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.apache.camel.Exchange;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns the bytes of one MLLP frame into a parsed HL7 v2 message: charset from MSH-18, any segment separator,
 * any version from 2.2 to 2.8 (a version HAPI has no structures for is parsed with the nearest older one).
 */
public final class Hl7Receiver {

    /** Versions whose HAPI structures are on the classpath, oldest first. */
    public static final List<String> STRUCTURE_VERSIONS =
            List.of("2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.8");

    private final PipeParser parser;

    public Hl7Receiver() {
        HapiContext context = new DefaultHapiContext();
        // Feeds in the wild break HAPI's strict rules all the time; Careline checks what it needs itself (AE).
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setAllowUnknownVersions(true);
        this.parser = context.getPipeParser();
    }

    /**
     * Decodes and parses the frame in the exchange's body. The MSH is put on the exchange first (property
     * {@link Acknowledger#HEADER}) so that a message that fails to parse is still answered by its control id.
     */
    public ReceivedHl7 receive(Exchange exchange) throws ApplicationRejectException {
        String text;
        if (exchange.getMessage().getBody() instanceof String stored) {
            // A replay: the text as it was decoded when received (its MSH-18 no longer applies to it).
            text = normalise(stored);
        } else {
            byte[] frame = exchange.getMessage().getBody(byte[].class);
            text = normalise(decode(frame == null ? new byte[0] : frame));
        }
        MshHeader header = MshHeader.read(text);
        exchange.setProperty(Acknowledger.HEADER, header);
        exchange.setProperty(Acknowledger.TEXT, text);
        return parse(text, header, exchange.getProperty(Replay.PROPERTY, Replay.class));
    }

    /** Decodes and parses one frame. */
    public ReceivedHl7 parse(byte[] frame) throws ApplicationRejectException {
        String text = normalise(decode(frame));
        return parse(text, MshHeader.read(text), null);
    }

    private ReceivedHl7 parse(String text, MshHeader header, Replay replay) throws ApplicationRejectException {
        if (header == null) {
            throw new ApplicationRejectException("Message does not start with an MSH segment", 100, "MSH", 0);
        }
        if (header.controlId().isEmpty()) {
            throw new ApplicationRejectException("MSH-10 (message control id) is empty", 101, "MSH", 10);
        }
        String version = nearestStructureVersion(header.version());
        if (version == null) {
            throw new ApplicationRejectException("MSH-12 version '" + safe(header.version()) + "' is not HL7 v2",
                    203, "MSH", 12);
        }
        String parsable = version.equals(header.version()) ? text : withVersion(text, version);
        try {
            Message message = parser.parse(parsable);
            return new ReceivedHl7(header, message, text, replay);
        } catch (HL7Exception | RuntimeException e) {
            // HAPI's own message can quote message content (PHI); say only where parsing stopped.
            String where = e instanceof HL7Exception h && h.getLocation() != null && h.getLocation().getSegmentName() != null
                    ? h.getLocation().getSegmentName() : "MSH";
            throw new ApplicationRejectException("Message could not be parsed as HL7 v" + version
                    + " (problem in or after segment " + where + ")", 102, where, 0);
        }
    }

    /** The charset MSH-18 names; without one UTF-8 if the bytes are valid UTF-8, else ISO-8859-1. */
    static String decode(byte[] frame) {
        Charset named = charsetOf(MshHeader.read(normalise(new String(frame, StandardCharsets.ISO_8859_1))));
        if (named != null) {
            return stripBom(new String(frame, named));
        }
        try {
            return stripBom(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(frame)).toString());
        } catch (CharacterCodingException e) {
            return new String(frame, StandardCharsets.ISO_8859_1);
        }
    }

    static Charset charsetOf(MshHeader header) {
        if (header == null || header.charset() == null || header.charset().isBlank()) {
            return null;
        }
        String c = header.charset().trim().toUpperCase(Locale.ROOT);
        return switch (c) {
            case "UNICODE UTF-8", "UTF-8", "UNICODE" -> StandardCharsets.UTF_8;
            case "8859/1" -> StandardCharsets.ISO_8859_1;
            case "ASCII" -> StandardCharsets.US_ASCII;
            case "8859/15" -> Charset.forName("ISO-8859-15");
            case "8859/2" -> Charset.forName("ISO-8859-2");
            case "UNICODE UTF-16" -> StandardCharsets.UTF_16;
            default -> null;
        };
    }

    /** CR is HL7's separator; LF and CRLF from files and some senders are taken as it too. */
    static String normalise(String text) {
        String t = stripBom(text).replace("\r\n", "\r").replace('\n', '\r');
        int end = t.length();
        while (end > 0 && (t.charAt(end - 1) == '\r' || Character.isWhitespace(t.charAt(end - 1)))) {
            end--;
        }
        int start = 0;
        while (start < end && (t.charAt(start) == '\r' || Character.isWhitespace(t.charAt(start)))) {
            start++;
        }
        return t.substring(start, end);
    }

    private static String stripBom(String s) {
        if (s.startsWith("\uFEFF")) {
            return s.substring(1);
        }
        if (s.startsWith("\u00EF\u00BB\u00BF")) { // a UTF-8 BOM read as ISO-8859-1
            return s.substring(3);
        }
        return s;
    }

    /** The newest structure version not newer than {@code version}; null if it is not a 2.x version at all. */
    public static String nearestStructureVersion(String version) {
        int[] wanted = numbers(version);
        if (wanted == null || wanted[0] != 2) {
            return null;
        }
        String best = STRUCTURE_VERSIONS.get(0);
        for (String v : STRUCTURE_VERSIONS) {
            if (compare(numbers(v), wanted) <= 0) {
                best = v;
            }
        }
        return best;
    }

    private static int[] numbers(String version) {
        if (version == null || !version.matches("\\d+(\\.\\d+){0,3}")) {
            return null;
        }
        String[] parts = version.split("\\.");
        int[] n = new int[4];
        for (int i = 0; i < parts.length; i++) {
            n[i] = Integer.parseInt(parts[i]);
        }
        return n;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 4; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /** Rewrites MSH-12's version id so HAPI picks the structures of {@code version}; the ACK keeps the original. */
    private static String withVersion(String text, String version) {
        char sep = text.charAt(3);
        char comp = text.charAt(4);
        int end = text.indexOf('\r');
        String msh = end < 0 ? text : text.substring(0, end);
        String rest = end < 0 ? "" : text.substring(end);
        String[] f = msh.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
        if (f.length < 12) {
            return text;
        }
        String field = f[11];
        int c = field.indexOf(comp);
        f[11] = version + (c < 0 ? "" : field.substring(c));
        return String.join(String.valueOf(sep), f) + rest;
    }

    private static String safe(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9.]", "?");
    }
}
