package org.careline.ingest.hl7;

/**
 * The MSH fields an acknowledgement needs, read straight from the text so that even a message HAPI cannot parse
 * gets an ACK that names it (MSA-2) and goes back to its sender. MSH-3 to MSH-6 are kept whole, as encoded (an HD
 * may carry an OID after its namespace id), so the ACK names the applications exactly as the sender did.
 */
public record MshHeader(String sendingApplication, String sendingFacility, String receivingApplication,
                        String receivingFacility, String messageType, String triggerEvent, String controlId,
                        String processingId, String version, String charset) {

    /** Reads MSH from the start of a message whose segments are separated by CR; null if there is no MSH. */
    public static MshHeader read(String text) {
        if (text == null || !text.startsWith("MSH") || text.length() < 8) {
            return null;
        }
        char fieldSep = text.charAt(3);
        char componentSep = text.charAt(4);
        int end = text.indexOf('\r');
        String msh = end < 0 ? text : text.substring(0, end);
        String[] f = msh.split(java.util.regex.Pattern.quote(String.valueOf(fieldSep)), -1);
        // f[0]="MSH", f[1]=encoding characters, so MSH-n sits at f[n-1] for n >= 3.
        String type = field(f, 9);
        String[] typeParts = type.split(java.util.regex.Pattern.quote(String.valueOf(componentSep)), -1);
        return new MshHeader(field(f, 3), field(f, 4), field(f, 5), field(f, 6),
                typeParts.length > 0 ? typeParts[0].trim() : "", typeParts.length > 1 ? typeParts[1].trim() : "",
                field(f, 10).trim(), first(field(f, 11), componentSep), first(field(f, 12), componentSep).trim(),
                first(field(f, 18), componentSep));
    }

    /** Who sent it, by the namespace ids of MSH-3 and MSH-4: the key, with MSH-10, of idempotency. */
    public String sender() {
        return first(sendingApplication, '^') + "|" + first(sendingFacility, '^');
    }

    private static String field(String[] f, int n) {
        int i = n - 1;
        return i < f.length ? f[i] : "";
    }

    private static String first(String value, char componentSep) {
        int i = value.indexOf(componentSep);
        return i < 0 ? value : value.substring(0, i);
    }
}
