package org.careline.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Bad HL7 v2 messages made from good ones, repeatably: input {@code i} of a mutator with seed {@code s} over the same
 * base messages is always the same bytes. Pure (no I/O); the suite sends what it makes.
 * <p>
 * Every mutant first gets its own MSH-10 ({@link #controlId(int)}), so no two inputs are taken for a resend of each
 * other, then one kind of damage ({@link Kind}). A mutant never contains the MLLP block characters (0x0B, 0x1C):
 * each one is exactly one frame once framed; broken framing is a different test.
 */
public final class Hl7Mutator {

    /** One kind of damage; {@code mayBeAccepted} says whether a message so damaged can still be a valid one. */
    public enum Kind {
        TRUNCATED(true),
        BYTES_FLIPPED(true),
        FIELD_SEPARATOR_CHANGED(false),     // MSH-1 no longer the separator the message uses
        COMPONENT_SEPARATOR_CHANGED(false), // MSH-2's first character no longer the one the message uses
        MSH_MISSING(false),
        MSH_MALFORMED(false),
        VERSION_UNKNOWN(false),             // MSH-12 "9.9", "3.0", "abc", "2."
        VERSION_EMPTY(false),
        HUGE_FIELD(true),                   // a field of 1 MiB outside MSH
        INVALID_UTF8(true),
        BINARY_JUNK(false),                 // nothing but random bytes
        JUNK_INSIDE(true),                  // random bytes inserted after MSH
        SEPARATOR_LF(true),
        SEPARATOR_CRLF(true),
        EMPTY(false);

        private final boolean mayBeAccepted;

        Kind(boolean mayBeAccepted) {
            this.mayBeAccepted = mayBeAccepted;
        }

        public boolean mayBeAccepted() {
            return mayBeAccepted;
        }
    }

    /**
     * One bad input. {@code controlId} is the MSH-10 the ACK must name, or null where the damage may have touched MSH
     * (the ACK may then name something else, or nothing).
     */
    public record Mutant(int index, Kind kind, String base, byte[] bytes, String controlId) {

        public boolean mayBeAccepted() {
            return kind.mayBeAccepted();
        }
    }

    /** A good message: a name to report it by and its text with segments separated by CR. */
    public record Base(String name, String text) {
    }

    public static final int HUGE = 1 << 20;
    /** Every HUGE_EVERY-th input (at an offset) carries a 1 MiB field; the rest are kept small. */
    static final int HUGE_EVERY = 97;
    private static final Kind[] SMALL_KINDS = Arrays.stream(Kind.values())
            .filter(k -> k != Kind.HUGE_FIELD).toArray(Kind[]::new);
    /** Characters no corpus message uses: a declared separator that matches nothing in the message. */
    private static final String FOREIGN_SEPARATORS = "#!@*$%";
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xC3, 0x28},                       // lead byte, then no continuation
            {(byte) 0xFF},                             // never valid
            {(byte) 0xC0, (byte) 0xAF},                // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},   // a UTF-16 surrogate
            {(byte) 0xE2, (byte) 0x82},                // truncated 3-byte sequence
            {(byte) 0x80},                             // lone continuation byte
    };

    private final long seed;
    private final List<Base> bases;

    public Hl7Mutator(long seed, List<Base> bases) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no base messages");
        }
        this.seed = seed;
        this.bases = List.copyOf(bases);
    }

    /** A corpus file's text as a base: BOM dropped, LF/CRLF made CR, surrounding blank lines trimmed. */
    public static Base base(String name, String fileText) {
        String t = fileText.startsWith("\uFEFF") ? fileText.substring(1) : fileText;
        t = t.replace("\r\n", "\r").replace('\n', '\r').strip();
        while (t.endsWith("\r")) {
            t = t.substring(0, t.length() - 1);
        }
        return new Base(name, t);
    }

    /** The MSH-10 input {@code index} is sent under (also for the unmutated corpus message). */
    public String controlId(int index) {
        return "RB" + Long.toHexString(seed) + "-" + index;
    }

    /** Base {@code b} as it is, under its own control id: the good message the mutants come from. */
    public String original(int b, String controlId) {
        return withControlId(bases.get(b).text(), controlId);
    }

    public int baseCount() {
        return bases.size();
    }

    public Mutant mutant(int index) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + index);
        Base base = bases.get(rnd.nextInt(bases.size()));
        Kind kind = index % HUGE_EVERY == 13 ? Kind.HUGE_FIELD : SMALL_KINDS[rnd.nextInt(SMALL_KINDS.length)];
        String id = controlId(index);
        String text = withControlId(base.text(), id);
        int mshEnd = segmentEnd(text, 0);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int mshBytes = text.substring(0, mshEnd).getBytes(StandardCharsets.UTF_8).length;
        byte[] out;
        String expectId = id;
        switch (kind) {
            case TRUNCATED -> {
                int cut = 1 + rnd.nextInt(Math.max(1, utf8.length - 1));
                out = Arrays.copyOf(utf8, cut);
                if (cut <= mshBytes) {
                    expectId = null;
                }
            }
            case BYTES_FLIPPED -> {
                out = utf8.clone();
                int flips = 1 + rnd.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int at = rnd.nextInt(out.length);
                    out[at] ^= (byte) (1 + rnd.nextInt(255));
                    if (at < mshBytes) {
                        expectId = null;
                    }
                }
            }
            case FIELD_SEPARATOR_CHANGED -> {
                out = bytes(text.substring(0, 3) + foreign(rnd) + text.substring(4));
                expectId = null;
            }
            case COMPONENT_SEPARATOR_CHANGED -> out = bytes(text.substring(0, 4) + foreign(rnd) + text.substring(5));
            case MSH_MISSING -> {
                out = bytes(mshEnd < text.length() ? text.substring(mshEnd + 1) : "");
                expectId = null;
            }
            case MSH_MALFORMED -> {
                String rest = text.substring(mshEnd);
                String[] f = mshFields(text);
                out = bytes(switch (rnd.nextInt(5)) {
                    case 0 -> "MSX" + text.substring(3);            // not an MSH
                    case 1 -> "msh" + text.substring(3);            // lower case
                    case 2 -> "MSH|^~" + rest;                      // cut after MSH-2
                    case 3 -> "MSH" + rest;                         // MSH with no fields at all
                    default -> {
                        f[9] = "";                                  // MSH-10 empty
                        yield String.join("|", f) + rest;
                    }
                });
                expectId = null;
            }
            case VERSION_UNKNOWN -> out = bytes(withVersion(text,
                    List.of("9.9", "3.0", "abc", "2.", "1.0", "22").get(rnd.nextInt(6))));
            case VERSION_EMPTY -> out = bytes(withVersion(text, ""));
            case HUGE_FIELD -> {
                String[] segments = text.split("\r", -1);
                int s = segments.length == 1 ? 0 : 1 + rnd.nextInt(segments.length - 1);
                String[] f = segments[s].split(Pattern.quote("|"), -1);
                int at = s == 0 ? f.length : 1 + rnd.nextInt(Math.max(1, f.length));
                StringBuilder big = new StringBuilder(HUGE);
                for (int i = 0; i < HUGE; i++) {
                    big.append((char) ('a' + rnd.nextInt(26)));
                }
                List<String> fields = new java.util.ArrayList<>(List.of(f));
                if (at < fields.size()) {
                    fields.set(at, big.toString());
                } else {
                    fields.add(big.toString());
                }
                segments[s] = String.join("|", fields);
                out = bytes(String.join("\r", segments));
            }
            case INVALID_UTF8 -> {
                String t = rnd.nextBoolean() ? withField(text, 18, "UNICODE UTF-8") : text;
                byte[] b = bytes(t);
                int mb = segmentEnd(t, 0) + 1;
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                int inserts = 1 + rnd.nextInt(4);
                int[] at = rnd.ints(inserts, Math.min(mb, b.length), b.length + 1).sorted().toArray();
                int from = 0;
                for (int p : at) {
                    o.write(b, from, p - from);
                    o.writeBytes(INVALID_UTF8[rnd.nextInt(INVALID_UTF8.length)]);
                    from = p;
                }
                o.write(b, from, b.length - from);
                out = o.toByteArray();
            }
            case BINARY_JUNK -> {
                out = new byte[1 + rnd.nextInt(4096)];
                rnd.nextBytes(out);
                if (out[0] == 'M') {
                    out[0] = 'X';
                }
                expectId = null;
            }
            case JUNK_INSIDE -> {
                byte[] junk = new byte[16 + rnd.nextInt(497)];
                rnd.nextBytes(junk);
                int at = Math.min(utf8.length, mshBytes + rnd.nextInt(Math.max(1, utf8.length - mshBytes + 1)));
                out = new byte[utf8.length + junk.length];
                System.arraycopy(utf8, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(utf8, at, out, at + junk.length, utf8.length - at);
            }
            case SEPARATOR_LF -> out = bytes(text.replace('\r', '\n'));
            case SEPARATOR_CRLF -> out = bytes(text.replace("\r", "\r\n"));
            case EMPTY -> {
                out = bytes(List.of("", "\r", "\r\n", "   ", "\n\n").get(rnd.nextInt(5)));
                expectId = null;
            }
            default -> throw new IllegalStateException(kind.name());
        }
        return new Mutant(index, kind, base.name(), withoutBlockCharacters(out), expectId);
    }

    /** 0x0B and 0x1C would start or end an MLLP frame inside the payload; '?' instead. */
    static byte[] withoutBlockCharacters(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0x0b || b[i] == 0x1c) {
                b[i] = '?';
            }
        }
        return b;
    }

    private static char foreign(Random rnd) {
        return FOREIGN_SEPARATORS.charAt(rnd.nextInt(FOREIGN_SEPARATORS.length()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int segmentEnd(String text, int from) {
        int i = text.indexOf('\r', from);
        return i < 0 ? text.length() : i;
    }

    private static String[] mshFields(String text) {
        return text.substring(0, segmentEnd(text, 0)).split(Pattern.quote("|"), -1);
    }

    static String withControlId(String text, String id) {
        return withField(text, 10, id);
    }

    private static String withVersion(String text, String version) {
        return withField(text, 12, version);
    }

    /** MSH-n (n >= 3) set to {@code value}; fields added if the MSH is shorter. */
    private static String withField(String text, int n, String value) {
        String[] f = mshFields(text);
        int i = n - 1;
        if (i >= f.length) {
            f = Arrays.copyOf(f, i + 1);
            Arrays.fill(f, mshFields(text).length, f.length, "");
        }
        f[i] = value;
        return String.join("|", f) + text.substring(segmentEnd(text, 0));
    }
}
