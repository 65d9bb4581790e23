package org.careline.config;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a site works, as an analyst writes it in mappings/alerts.yaml: {@code "Mon-Fri 07:00-19:00"}, or several
 * periods separated by ';' ({@code "Mon-Fri 07:00-19:00; Sat 08:00-12:00"}), in the site's own zone. A period ends
 * on the day it starts ({@code 24:00} is the end of the day). Outside them a silent feed is not news.
 */
public record WorkingHours(String text, List<Period> periods) {

    /** The days (a range like Mon-Fri, or one day) and the times of one period. */
    public record Period(Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean toEndOfDay) {
        boolean contains(LocalDateTime t) {
            LocalTime time = t.toLocalTime();
            return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && (toEndOfDay || time.isBefore(to));
        }
    }

    private static final Pattern PERIOD = Pattern.compile(
            "([A-Za-z]{3})(?:-([A-Za-z]{3}))?\\s+(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** @throws IllegalArgumentException with a message fit for the analyst */
    public static WorkingHours parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no working hours given (write e.g. \"Mon-Fri 07:00-19:00\")");
        }
        List<Period> periods = new ArrayList<>();
        for (String part : text.split(";")) {
            Matcher m = PERIOD.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a period of working hours "
                        + "(write e.g. \"Mon-Fri 07:00-19:00\"; several separated by ';')");
            }
            DayOfWeek first = day(m.group(1));
            DayOfWeek last = m.group(2) == null ? first : day(m.group(2));
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
            LocalTime from = time(m.group(3));
            boolean endOfDay = m.group(4).equals("24:00");
            LocalTime to = endOfDay ? LocalTime.MAX : time(m.group(4));
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("'" + part.trim() + "': a period ends after it starts, on the "
                        + "same day (use 24:00 for midnight)");
            }
            periods.add(new Period(days, from, to, endOfDay));
        }
        return new WorkingHours(text.trim(), List.copyOf(periods));
    }

    /** Whether {@code t} (the site's local time) is within the working hours. */
    public boolean contains(LocalDateTime t) {
        return periodStart(t).isPresent();
    }

    /** The start (that day) of the period {@code t} falls in; empty outside the working hours. */
    public Optional<LocalDateTime> periodStart(LocalDateTime t) {
        LocalDateTime earliest = null;
        for (Period p : periods) {
            if (p.contains(t)) {
                LocalDateTime start = t.toLocalDate().atTime(p.from());
                earliest = earliest == null || start.isBefore(earliest) ? start : earliest;
            }
        }
        return Optional.ofNullable(earliest);
    }

    private static DayOfWeek day(String name) {
        int i = DAYS.indexOf(name.toLowerCase(Locale.ROOT));
        if (i < 0) {
            throw new IllegalArgumentException("'" + name + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
        }
        return DayOfWeek.of(i + 1);
    }

    private static LocalTime time(String hhmm) {
        try {
            return LocalTime.parse(hhmm);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + hhmm + "' is not a time of day (HH:MM)");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
