package org.careline.ingest.hl7;

/**
 * A received message that gets a negative acknowledgement. Subtypes say which (AE or AR), so the inbound route's
 * doCatch picks the answer by type; the text and location end up in the ACK's ERR segment. Texts never hold PHI.
 */
public abstract class Hl7AckException extends Exception {

    private final int errorCode;
    private final String segment;
    private final int field;

    protected Hl7AckException(String text, int errorCode, String segment, int field) {
        super(text);
        this.errorCode = errorCode;
        this.segment = segment;
        this.field = field;
    }

    /** MSA-1: AE or AR. */
    public abstract String ackCode();

    /** HL7 table 0357 code, e.g. 101 required field missing, 200 unsupported message type. */
    public int errorCode() {
        return errorCode;
    }

    /** Segment the error is in, or null. */
    public String segment() {
        return segment;
    }

    /** Field position in that segment, or 0. */
    public int field() {
        return field;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Expected outcomes of bad input, not bugs: the stack trace is never needed.
        return this;
    }
}
