package org.careline.report;

import org.careline.model.KpiFigures;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures of nothing: every count 0, one entry per day of the month: the base the report's tests change, and what a
 * report of a month without traffic looks like.
 */
public final class EmptyFigures implements MonthFigures {

    @Override
    public KpiFigures month(String site, YearMonth month) {
        return of(site, month);
    }

    public static KpiFigures of(String site, YearMonth month) {
        KpiFigures.MessageCounts none = new KpiFigures.MessageCounts(0, 0, 0, 0);
        List<KpiFigures.DayFigures> days = new ArrayList<>();
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
            days.add(new KpiFigures.DayFigures(d, 0, none, 0));
        }
        KpiFigures.NoShowGroup empty = new KpiFigures.NoShowGroup(0, 0);
        return new KpiFigures(site, null, month.atDay(1), month.atEndOfMonth(), 0,
                new KpiFigures.Messages(none, List.of()), new KpiFigures.Replies(0, 0, 0, 0, 0, 0, 0), 0, List.of(),
                0, new KpiFigures.Results(0, 0), new KpiFigures.NoShowSplit(empty, empty, empty), List.of(), days);
    }
}
