package org.careline.ingest.hl7;

/** AE: the message parses but lacks something Careline needs (no appointment id, no start time, ...). */
public class ApplicationErrorException extends Hl7AckException {
    public ApplicationErrorException(String text, int errorCode, String segment, int field) {
        super(text, errorCode, segment, field);
    }

    @Override
    public String ackCode() {
        return "AE";
    }
}
