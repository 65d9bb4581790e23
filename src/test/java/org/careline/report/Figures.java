package org.careline.report;

import org.careline.model.KpiFigures;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/** KpiFigures written by hand for the report's tests: a November at gh-clinic with every kind of figure. */
final class Figures {

    static final YearMonth MONTH = YearMonth.of(2026, 11);

    private Figures() {
    }

    static KpiFigures november() {
        List<KpiFigures.DayFigures> days = new ArrayList<>();
        for (LocalDate d = MONTH.atDay(1); !d.isAfter(MONTH.atEndOfMonth()); d = d.plusDays(1)) {
            int n = d.getDayOfMonth();
            days.add(new KpiFigures.DayFigures(d, n % 5, new KpiFigures.MessageCounts(n, n - 1, n / 2, n % 3 == 0 ? 1 : 0),
                    n % 4));
        }
        return new KpiFigures("gh-clinic", null, MONTH.atDay(1), MONTH.atEndOfMonth(), 412,
                new KpiFigures.Messages(new KpiFigures.MessageCounts(960, 931, 702, 17), List.of(
                        new KpiFigures.KindCounts("CONFIRMATION", new KpiFigures.MessageCounts(400, 390, 301, 6)),
                        new KpiFigures.KindCounts("REMINDER", new KpiFigures.MessageCounts(560, 541, 401, 11)))),
                new KpiFigures.Replies(250, 31, 18, 12, 7, 3, 29), 3,
                List.of(new KpiFigures.QueueFigures("front-desk", 40, 38, Duration.ofSeconds(754),
                                Duration.ofMinutes(47).plusSeconds(30), 35),
                        new KpiFigures.QueueFigures("nurse", 5, 0, null, null, 0)),
                2, new KpiFigures.Results(44, 30),
                new KpiFigures.NoShowSplit(new KpiFigures.NoShowGroup(240, 6), new KpiFigures.NoShowGroup(80, 8),
                        new KpiFigures.NoShowGroup(50, 10)),
                List.of(new KpiFigures.FailureCause(131026, "Message undeliverable", 12),
                        new KpiFigures.FailureCause(131049, "Meta chose not to deliver, this message", 4),
                        new KpiFigures.FailureCause(null, null, 1)),
                days);
    }
}
