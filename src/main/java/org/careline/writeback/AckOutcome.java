package org.careline.writeback;

import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.component.mllp.MllpException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** What became of one message sent to the scheduling system. */
public sealed interface AckOutcome {

    /** AA or CA: the scheduling system took the request. */
    record Accepted(String code, String text) implements AckOutcome {
    }

    /** AE, AR, CE or CR: the scheduling system answered no; sending it again would get the same answer. */
    record Rejected(String code, String text) implements AckOutcome {
    }

    /** No answer: refused connection, timeout, connection lost, or something that is not an ACK. Try again later. */
    record NotAnswered(String reason) implements AckOutcome {
    }

    /**
     * Classifies the exchange camel-mllp's producer returned. A negative ACK is told apart by the exception type the
     * producer raised for it; any other failure means the request was not answered.
     */
    static AckOutcome of(Exchange reply) {
        Exception failure = reply.getException() != null ? reply.getException()
                : reply.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure != null) {
            String code = failure instanceof MllpApplicationErrorAcknowledgementException ? "AE"
                    : failure instanceof MllpApplicationRejectAcknowledgementException ? "AR"
                    : failure instanceof MllpCommitErrorAcknowledgementException ? "CE"
                    : failure instanceof MllpCommitRejectAcknowledgementException ? "CR"
                    : null;
            if (code != null) {
                return new Rejected(code, text(((MllpException) failure).getHl7AcknowledgementBytes()));
            }
            // The class only: MLLP exception messages can quote the payload when PHI logging is on.
            return new NotAnswered(failure.getClass().getSimpleName());
        }
        String type = reply.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, String.class);
        if ("AA".equals(type) || "CA".equals(type)) {
            return new Accepted(type, text(reply.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT, byte[].class)));
        }
        // camel-mllp reports an answer without an MSA segment as no acknowledgement type at all.
        return new NotAnswered("answer without MSA");
    }

    /** MSA-3 and the ERR segments' texts of an ACK, joined with "; "; null if there are none. */
    static String text(byte[] ack) {
        if (ack == null || ack.length < 8) {
            return null;
        }
        String s = decode(ack);
        char fs = s.charAt(3);
        char cs = s.charAt(4);
        char rs = s.charAt(5);
        char ss = s.charAt(7);
        StringJoiner texts = new StringJoiner("; ");
        for (String segment : s.split("[\r\n]+")) {
            String[] f = segment.split(java.util.regex.Pattern.quote(String.valueOf(fs)), -1);
            if (f[0].equals("MSA")) {
                add(texts, at(f, 3));
            } else if (f[0].equals("ERR")) {
                String err = firstNonEmpty(
                        at(f, 8),                                    // ERR-8 user message (v2.5+)
                        part(part(at(f, 3), rs, 1), cs, 2),           // ERR-3.2 HL7 error code text (v2.5+)
                        part(part(at(f, 3), rs, 1), cs, 1),
                        part(part(part(at(f, 1), rs, 1), cs, 4), ss, 2), // ERR-1.4.2 (v2.3/2.4 code and location)
                        part(part(part(at(f, 1), rs, 1), cs, 4), ss, 1));
                add(texts, err);
            }
        }
        return texts.length() == 0 ? null : texts.toString();
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static String at(String[] fields, int n) {
        return n < fields.length ? fields[n] : null;
    }

    /** The n-th (1-based) part of {@code value} split at {@code separator}; null if there is none. */
    private static String part(String value, char separator, int n) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        return n <= parts.length ? parts[n - 1] : null;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static void add(StringJoiner texts, String text) {
        if (text != null && !text.isBlank()) {
            texts.add(text.trim());
        }
    }
}
