package org.careline.ingest.hl7;

import java.time.Instant;

/**
 * An analyst's replay of stored message {@code inboundId}, carried on the exchange (property {@link #PROPERTY}) as
 * the stored text goes through the same processing as a message from the MLLP listener. It changes two things only:
 * the message is not answered from memory as a resend would be, and its outcome replaces the stored AE/AR (see
 * {@link org.careline.store.InboundLog#supersede}) instead of being recorded as a new receipt.
 */
public record Replay(long inboundId, String user, Instant at) {

    public static final String PROPERTY = "carelineReplay";
}
