package org.careline.results;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A document's PDF as it is sent for document types listed in results.yaml {@code documents.attachPdf}: the bytes
 * and a generic file name made from the document type ("receipt.pdf"), never anything about the patient. Holds
 * the document: never log it.
 */
public record DocumentPdf(String filename, byte[] bytes) {

    /** The largest PDF sent (Meta accepts documents up to 100 MB; a receipt is far smaller). */
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    public static final String CONTENT_TYPE = "application/pdf";
    private static final byte[] MAGIC = "%PDF".getBytes(StandardCharsets.US_ASCII);

    /**
     * The PDF in base64 {@code data}, if it decodes, starts with %PDF and is at most {@link #MAX_BYTES}; the file
     * is named after the document type when that is a plain code, else "document.pdf".
     */
    public static Optional<DocumentPdf> fromBase64(String data, String documentType) {
        if (data == null) {
            return Optional.empty();
        }
        String text = data.replaceAll("\\s+", "");
        if (text.isEmpty() || text.length() > (MAX_BYTES / 3 + 1) * 4) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        if (bytes.length > MAX_BYTES || bytes.length < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            return Optional.empty();
        }
        return Optional.of(new DocumentPdf(filename(documentType), bytes));
    }

    static String filename(String documentType) {
        String t = documentType == null ? "" : documentType.trim().toLowerCase(Locale.ROOT);
        return t.matches("[a-z0-9_-]{1,50}") ? t + ".pdf" : "document.pdf";
    }
}
