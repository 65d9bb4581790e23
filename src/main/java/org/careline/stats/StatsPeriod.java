package org.careline.stats;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The days a stats request asks for (pure): {@code period} = today | 7d | 30d (ending today), or {@code from} and
 * {@code to} (ISO dates, inclusive, at most {@link #MAX_DAYS} days). Nothing given: the last 7 days.
 */
public final class StatsPeriod {

    public static final int MAX_DAYS = 400;

    /** What the request's parameters mean. */
    public sealed interface Choice permits Range, Invalid {
    }

    /** Days {@code from}..{@code to}, inclusive. */
    public record Range(LocalDate from, LocalDate to) implements Choice {
        public long days() {
            return ChronoUnit.DAYS.between(from, to) + 1;
        }
    }

    /** The parameters make no range; the message says why, for a 400. */
    public record Invalid(String message) implements Choice {
    }

    private StatsPeriod() {
    }

    /**
     * @param today the current day in the zone of the site asked about
     */
    public static Choice parse(String period, String from, String to, LocalDate today) {
        if (from != null || to != null) {
            if (period != null) {
                return new Invalid("give either period or from and to, not both");
            }
            if (from == null || to == null) {
                return new Invalid("from and to go together (ISO dates, e.g. from=2026-11-01&to=2026-11-30)");
            }
            LocalDate f;
            LocalDate t;
            try {
                f = LocalDate.parse(from);
                t = LocalDate.parse(to);
            } catch (DateTimeParseException e) {
                return new Invalid("from and to must be ISO dates (YYYY-MM-DD)");
            }
            if (t.isBefore(f)) {
                return new Invalid("to is before from");
            }
            if (ChronoUnit.DAYS.between(f, t) + 1 > MAX_DAYS) {
                return new Invalid("a range may cover at most " + MAX_DAYS + " days");
            }
            return new Range(f, t);
        }
        String p = period == null ? "7d" : period;
        switch (p) {
            case "today":
                return new Range(today, today);
            case "7d":
                return new Range(today.minusDays(6), today);
            case "30d":
                return new Range(today.minusDays(29), today);
            default:
                return new Invalid("period must be today, 7d or 30d");
        }
    }
}
