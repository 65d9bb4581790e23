package org.careline.ingest.hl7;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 formatting escapes that HAPI leaves in text after unescaping the delimiters: line breaks (\.br\ and other
 * formatted-text commands), highlighting (\H\ \N\) and hexadecimal data (\Xhh..\). Text meant for a patient
 * must not show them.
 */
final class Hl7Text {

    private static final Pattern FORMATTING = Pattern.compile("\\\\\\.(?:br|sp|in|ti|sk|ce|fi|nf)[^\\\\]*\\\\");
    private static final Pattern HIGHLIGHT = Pattern.compile("\\\\[HN]\\\\");
    private static final Pattern HEX = Pattern.compile("\\\\X((?:[0-9A-Fa-f]{2})+)\\\\");

    private Hl7Text() {
    }

    /** The text with formatting commands as spaces, highlighting dropped and hex data decoded (as Latin-1). */
    static String plain(String text) {
        if (text == null || text.indexOf('\\') < 0) {
            return text;
        }
        String t = FORMATTING.matcher(text).replaceAll(" ");
        t = HIGHLIGHT.matcher(t).replaceAll("");
        Matcher m = HEX.matcher(t);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String hex = m.group(1);
            StringBuilder decoded = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 2) {
                decoded.append((char) Integer.parseInt(hex.substring(i, i + 2), 16));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
