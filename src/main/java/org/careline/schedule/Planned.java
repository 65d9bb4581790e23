package org.careline.schedule;

import org.careline.model.PlannedMessage;

/** One message the planner decided on, and why it is due when it is. */
public record Planned(PlannedMessage message, DueReason reason) {
}
