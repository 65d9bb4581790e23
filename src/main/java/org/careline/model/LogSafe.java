package org.careline.model;

/**
 * Text from outside (an MSH-10, a subscription id, a wamid, a peer's error message) made safe to put in a log
 * line: a CR or LF in it would otherwise start a line of the sender's choosing. Every control character (C0, DEL,
 * C1) and the Unicode line and paragraph separators become a visible escape ({@code \n}, {@code \u2028}), so the
 * value still reads as it came; very long values are cut.
 */
public final class LogSafe {

    /** Longer values are cut to this many characters, and say how many more there were. */
    public static final int MAX = 200;

    private LogSafe() {
    }

    public static String text(String s) {
        if (s == null) {
            return "null";
        }
        int end = Math.min(s.length(), MAX);
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char ch = s.charAt(i);
            if (needsEscape(ch)) {
                if (b == null) {
                    b = new StringBuilder(end + 16).append(s, 0, i);
                }
                switch (ch) {
                    case '\r' -> b.append("\\r");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\u%04x", (int) ch));
                }
            } else if (b != null) {
                b.append(ch);
            }
        }
        String out = b == null ? s.substring(0, end) : b.toString();
        return s.length() > MAX ? out + "...(+" + (s.length() - MAX) + " chars)" : out;
    }

    /** Any value, by its text (an exception's message, a number): see {@link #text(String)}. */
    public static String of(Object o) {
        return text(o == null ? null : o.toString());
    }

    private static boolean needsEscape(char ch) {
        return ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == '\u2028' || ch == '\u2029';
    }
}
