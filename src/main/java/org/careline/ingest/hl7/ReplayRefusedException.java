package org.careline.ingest.hl7;

/**
 * A replay found its message no longer answered AE/AR: another replay applied it meanwhile. Nothing was changed;
 * the message's effect is never applied twice.
 */
public final class ReplayRefusedException extends RuntimeException {

    public ReplayRefusedException(long inboundId) {
        super("inbound " + inboundId + " is no longer answered AE/AR");
    }
}
