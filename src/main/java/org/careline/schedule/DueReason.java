package org.careline.schedule;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Why a planned message is due when it is, as the planner decided it. The ingest log and the {@code pending}
 * command print {@link #describe()}, so the words are written here once, next to the decision.
 */
public sealed interface DueReason permits DueReason.Now, DueReason.BeforeVisit, DueReason.QuietHours {

    /** The text after the due time in a log line; empty when the due time says it all. */
    String describe();

    /** A notice (confirmation, rescheduled, cancelled) that goes out as soon as it is queued. */
    record Now() implements DueReason {
        @Override
        public String describe() {
            return "";
        }
    }

    /** A reminder due its offset before the visit starts, outside quiet hours. */
    record BeforeVisit(Duration offset) implements DueReason {
        @Override
        public String describe() {
            return ReminderPlanner.label(offset) + " before the visit";
        }
    }

    /**
     * Held back (or brought forward) by the site's quiet hours.
     *
     * @param site       the site's code, or null when the caller did not name one
     * @param beforeThem true when the message was brought forward to a minute before the quiet hours began, because
     *                   their end would leave too little time before the visit
     */
    record QuietHours(LocalTime from, LocalTime to, ZoneId zone, String site, boolean beforeThem)
            implements DueReason {
        @Override
        public String describe() {
            return (beforeThem ? "before " : "") + "quiet hours " + from + "\u2013" + to + " " + zone
                    + (site == null ? "" : " at " + site);
        }
    }
}
