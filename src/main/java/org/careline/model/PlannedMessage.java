package org.careline.model;

import java.time.Instant;

/**
 * One automatic message the planner decided on.
 *
 * @param kind  what it is
 * @param label which reminder it is ("48h", "2h"), or the kind's key for one-off notices; unique per appointment
 * @param dueAt when it should go out, after quiet hours were applied
 */
public record PlannedMessage(MessageKind kind, String label, Instant dueAt) {
}
