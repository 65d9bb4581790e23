package org.careline.triage;

import java.time.Duration;
import java.time.Instant;

/**
 * Meta's customer-service window: a free-form message may go to a patient only within 24 hours of the patient's last
 * message; after that only an approved template may. Pure. The dispatcher makes the same check again at send time
 * (SendDecision), so a text queued a moment before the window closes is skipped, never sent late.
 *
 * @param open     a free text may be sent now
 * @param closesAt when the window closes (or closed); null when the patient never wrote
 */
public record ReplyWindow(boolean open, Instant closesAt) {

    public static final Duration LENGTH = Duration.ofHours(24);

    /** The window at {@code now}, opened by the patient's last message at {@code lastInbound} (null: never). */
    public static ReplyWindow at(Instant lastInbound, Instant now) {
        if (lastInbound == null) {
            return new ReplyWindow(false, null);
        }
        Instant closes = lastInbound.plus(LENGTH);
        return new ReplyWindow(now.isBefore(closes), closes);
    }
}
