package org.careline.schedule;

import org.careline.model.MessageKind;
import org.careline.model.PlannedMessage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The ingest log's line for one queued message: ids, kind, due time and the planner's reason; no patient data. */
public final class DueLine {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DueLine() {
    }

    /** e.g. {@code outbox=12 appointment=5 confirmation due 2026-12-03T13:00Z: quiet hours 21:00–08:00 ...}. */
    public static String of(long outboxId, long appointmentId, Planned planned) {
        PlannedMessage m = planned.message();
        String what = m.kind() == MessageKind.REMINDER ? "reminder " + m.label()
                : m.kind().name().toLowerCase(Locale.ROOT);
        String when = planned.reason() instanceof DueReason.Now ? "now" : utc(m.dueAt());
        String why = planned.reason().describe();
        return "outbox=" + outboxId + " appointment=" + appointmentId + " " + what + " due " + when
                + (why.isEmpty() ? "" : ": " + why);
    }

    /** UTC to the minute when the seconds are zero (planned times usually are), else ISO-8601 in full. */
    public static String utc(Instant at) {
        return at.getEpochSecond() % 60 == 0 && at.getNano() == 0 ? MINUTES.format(at) : at.toString();
    }
}
