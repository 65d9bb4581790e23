package org.careline.report;

import org.careline.config.ReportsMapping;
import org.careline.model.KpiFigures;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The monthly KPI report of one site as rows of figures, made from {@link KpiFigures} alone (pure): what the CSV
 * writes one per line and the PDF prints as tables. Every figure is found by its (section, figure) pair. Values are
 * plain numbers: counts as integers, rates as decimals with {@value #RATE_PLACES} places (0.8125, not 81 %), times in
 * whole seconds, money and the estimate with 2 places; a value that does not exist (no answered item, so no median)
 * is empty. Definitions: docs/reports.md.
 *
 * @param header  whose report, which month, made when
 * @param figures every row, in the order printed
 * @param saved   the estimate of no-shows avoided and their worth
 * @param source  the figures it was made from (the PDF's charts draw them)
 */
public record KpiReport(Header header, List<Figure> figures, SlotsSaved saved, KpiFigures source) {

    public static final int RATE_PLACES = 4;

    /** Units of the CSV's fourth column. */
    public static final String COUNT = "count";
    public static final String RATIO = "ratio";
    public static final String SECONDS = "seconds";
    public static final String APPOINTMENTS = "appointments";

    /**
     * @param site     the site's code
     * @param siteName its name in sites.yaml
     * @param zone     the site's time zone: the month's days are days there
     * @param madeAt   when the report was made
     * @param currency of the cost per slot and the estimate
     */
    public record Header(String site, String siteName, YearMonth month, ZoneId zone, Instant madeAt, String currency) {
    }

    /** One row: section, figure, value (plain, "" when none), unit. */
    public record Figure(String section, String figure, String value, String unit) {
    }

    public KpiReport {
        figures = List.copyOf(figures);
    }

    public static KpiReport of(Header header, KpiFigures f, ReportsMapping.SiteReport settings) {
        List<Figure> rows = new ArrayList<>();
        rows.add(new Figure("report", "site", header.site(), ""));
        rows.add(new Figure("report", "site_name", header.siteName(), ""));
        rows.add(new Figure("report", "month", header.month().toString(), ""));
        rows.add(new Figure("report", "time_zone", header.zone().getId(), ""));
        rows.add(new Figure("report", "first_day", f.from().toString(), ""));
        rows.add(new Figure("report", "last_day", f.to().toString(), ""));
        rows.add(new Figure("report", "made_at", header.madeAt().toString(), ""));

        rows.add(count("volumes", "appointments_booked", f.appointmentsBooked()));
        messages(rows, "messages", f.messages().total());
        for (KpiFigures.KindCounts k : f.messages().byKind()) {
            messages(rows, "messages." + k.kind().toLowerCase(Locale.ROOT), k.counts());
        }

        KpiFigures.Replies r = f.replies();
        long confirmationsSent = confirmationsSent(f);
        rows.add(count("replies", "confirm", r.confirm()));
        rows.add(count("replies", "change", r.change()));
        rows.add(count("replies", "cancel", r.cancel()));
        rows.add(count("replies", "location", r.location()));
        rows.add(count("replies", "help", r.help()));
        rows.add(count("replies", "stop", r.stop()));
        rows.add(count("replies", "other", r.other()));
        rows.add(count("replies", "total", r.total()));
        rows.add(count("replies", "confirmations_sent", confirmationsSent));
        rows.add(rate("replies", "confirmation_rate", r.confirm(), confirmationsSent));
        rows.add(rate("replies", "cancellation_rate", r.cancel(), confirmationsSent));

        KpiFigures.NoShowSplit n = f.noShows();
        group(rows, "confirmed", n.confirmed());
        group(rows, "reached_not_confirmed", n.reachedNotConfirmed());
        group(rows, "reached", n.reached());
        group(rows, "not_reached", n.notReached());
        rows.add(new Figure("no_shows", "difference", difference(n), RATIO));

        for (KpiFigures.QueueFigures q : f.queues()) {
            String section = "queue." + q.queue();
            rows.add(count(section, "items", q.items()));
            rows.add(count(section, "answered", q.answered()));
            rows.add(new Figure(section, "median_first_answer", seconds(q.medianFirstAnswer()), SECONDS));
            rows.add(new Figure(section, "p90_first_answer", seconds(q.p90FirstAnswer()), SECONDS));
            rows.add(count(section, "sla_kept", q.slaKept()));
            rows.add(rate(section, "sla_kept_rate", q.slaKept(), q.items()));
        }

        rows.add(count("patients", "opt_outs", f.optOuts()));
        rows.add(count("patients", "emergencies", f.emergencies()));
        rows.add(count("results", "notices_sent", f.results().noticesSent()));
        rows.add(count("results", "links_opened", f.results().linksOpened()));
        rows.add(rate("results", "links_opened_rate", f.results().linksOpened(), f.results().noticesSent()));

        for (KpiFigures.FailureCause c : f.failures()) {
            rows.add(count("failures", failureName(c), c.count()));
        }

        SlotsSaved saved = SlotsSaved.estimate(n, settings.costPerSlot());
        rows.add(new Figure("savings", "no_shows_avoided", saved.noShowsAvoided().toPlainString(), APPOINTMENTS));
        rows.add(new Figure("savings", "cost_per_slot",
                settings.costPerSlot().setScale(2, RoundingMode.HALF_UP).toPlainString(), header.currency()));
        rows.add(new Figure("savings", "estimated_value", saved.value().toPlainString(), header.currency()));

        for (KpiFigures.DayFigures d : f.daily()) {
            String section = "daily." + d.day();
            rows.add(count(section, "booked", d.booked()));
            rows.add(count(section, "sent", d.messages().sent()));
            rows.add(count(section, "delivered", d.messages().delivered()));
            rows.add(count(section, "read", d.messages().read()));
            rows.add(count(section, "failed", d.messages().failed()));
            rows.add(count(section, "replies", d.replies()));
        }
        return new KpiReport(header, rows, saved, f);
    }

    /** The row (section, figure), if the report has it. */
    public Optional<Figure> find(String section, String figure) {
        return figures.stream().filter(x -> x.section().equals(section) && x.figure().equals(figure)).findFirst();
    }

    /** The rows of one section, in order. */
    public List<Figure> section(String section) {
        return figures.stream().filter(x -> x.section().equals(section)).toList();
    }

    /** Confirmations sent: the sends of kind CONFIRMATION (the booking's first message, which asks to confirm). */
    static long confirmationsSent(KpiFigures f) {
        return f.messages().byKind().stream().filter(k -> k.kind().equals("CONFIRMATION"))
                .mapToLong(k -> k.counts().sent()).sum();
    }

    /** "131026 Message undeliverable"; "unknown" for a failure without a code. */
    static String failureName(KpiFigures.FailureCause c) {
        String code = c.code() == null ? "unknown" : String.valueOf(c.code());
        return c.reason() == null || c.reason().isBlank() ? code : code + " " + c.reason().strip();
    }

    private static void messages(List<Figure> rows, String section, KpiFigures.MessageCounts m) {
        rows.add(count(section, "sent", m.sent()));
        rows.add(count(section, "delivered", m.delivered()));
        rows.add(count(section, "read", m.read()));
        rows.add(count(section, "failed", m.failed()));
        rows.add(rate(section, "delivery_rate", m.delivered(), m.sent()));
        rows.add(rate(section, "read_rate", m.read(), m.sent()));
    }

    private static void group(List<Figure> rows, String name, KpiFigures.NoShowGroup g) {
        rows.add(count("no_shows", name + ".appointments", g.appointments()));
        rows.add(count("no_shows", name + ".no_shows", g.noShows()));
        rows.add(rate("no_shows", name + ".rate", g.noShows(), g.appointments()));
    }

    private static Figure count(String section, String figure, long n) {
        return new Figure(section, figure, Long.toString(n), COUNT);
    }

    private static Figure rate(String section, String figure, long part, long whole) {
        return new Figure(section, figure, ratio(part, whole).toPlainString(), RATIO);
    }

    /** part / whole to {@value #RATE_PLACES} places, half up; 0 when whole is 0. */
    static BigDecimal ratio(long part, long whole) {
        if (whole == 0) {
            return BigDecimal.ZERO.setScale(RATE_PLACES);
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), RATE_PLACES, RoundingMode.HALF_UP);
    }

    /** Rate not reached − rate reached, from the exact counts, rounded once. */
    static String difference(KpiFigures.NoShowSplit n) {
        KpiFigures.NoShowGroup reached = n.reached();
        KpiFigures.NoShowGroup notReached = n.notReached();
        BigDecimal a = notReached.appointments() == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(notReached.noShows())
                .divide(BigDecimal.valueOf(notReached.appointments()), 20, RoundingMode.HALF_UP);
        BigDecimal b = reached.appointments() == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(reached.noShows())
                .divide(BigDecimal.valueOf(reached.appointments()), 20, RoundingMode.HALF_UP);
        return a.subtract(b).setScale(RATE_PLACES, RoundingMode.HALF_UP).toPlainString();
    }

    /** Whole seconds, half up; "" for none. */
    static String seconds(Duration d) {
        if (d == null) {
            return "";
        }
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
                .setScale(0, RoundingMode.HALF_UP).toPlainString();
    }
}
