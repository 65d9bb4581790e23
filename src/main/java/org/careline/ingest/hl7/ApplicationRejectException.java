package org.careline.ingest.hl7;

/** AR: the message cannot be processed at all (does not parse, or a type Careline does not take). */
public class ApplicationRejectException extends Hl7AckException {
    public ApplicationRejectException(String text, int errorCode, String segment, int field) {
        super(text, errorCode, segment, field);
    }

    @Override
    public String ackCode() {
        return "AR";
    }
}
