package org.careline.report;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Which month a report may be made for (pure): a calendar month written YYYY-MM that has ended in the site's time
 * zone — its last day is over there. A month under way or to come has no figures to report yet.
 */
public final class ReportMonth {

    private static final Pattern SHAPE = Pattern.compile("\\d{4}-\\d{2}");

    /** What a requested month turned out to be. */
    public sealed interface Check permits Over, Malformed, NotOver {
    }

    /** A month that has ended: a report may be made. */
    public record Over(YearMonth month) implements Check {
    }

    /** Not a month written YYYY-MM (or no month at all). */
    public record Malformed(String given) implements Check {
    }

    /** A month under way or still to come in the site's zone; it ends at {@code endsAt}. */
    public record NotOver(YearMonth month, Instant endsAt) implements Check {
    }

    private ReportMonth() {
    }

    public static Check check(String given, ZoneId zone, Instant now) {
        if (given == null || !SHAPE.matcher(given.trim()).matches()) {
            return new Malformed(given);
        }
        YearMonth month;
        try {
            month = YearMonth.parse(given.trim());
        } catch (DateTimeParseException e) {
            return new Malformed(given);
        }
        Instant end = end(month, zone);
        return now.isBefore(end) ? new NotOver(month, end) : new Over(month);
    }

    /** The first instant after the month, in {@code zone}: midnight starting the next month's first day. */
    public static Instant end(YearMonth month, ZoneId zone) {
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** The last month that has ended in {@code zone} at {@code now}: the month before the one under way there. */
    public static YearMonth lastEnded(Instant now, ZoneId zone) {
        return YearMonth.from(now.atZone(zone)).minusMonths(1);
    }

    /** The message a caller sees for a month that cannot be reported. */
    public static String refusal(Check c) {
        if (c instanceof Malformed m) {
            return "month must be written YYYY-MM (e.g. 2026-11), got '" + m.given() + "'";
        }
        if (c instanceof NotOver n) {
            return "month " + n.month() + " is not over yet at the site (it ends " + n.endsAt() + ")";
        }
        return null;
    }
}
