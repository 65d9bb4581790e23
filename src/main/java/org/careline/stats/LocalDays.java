package org.careline.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Days as a site sees them (pure): the figures count an event on the calendar day, in the site's time zone, on
 * which it happened — so a reminder read at 00:30 local time on a DST night counts on that local day, whatever
 * the UTC date.
 */
public final class LocalDays {

    private LocalDays() {
    }

    /** The local day of {@code at} in {@code zone}. */
    public static LocalDate dayOf(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDate();
    }

    /** The first instant of {@code day} in {@code zone} (not always 00:00 where DST starts at midnight). */
    public static Instant startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** The first instant after {@code day} in {@code zone}. */
    public static Instant endOf(LocalDate day, ZoneId zone) {
        return startOf(day.plusDays(1), zone);
    }
}
