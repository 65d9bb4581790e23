package org.careline.report;

import org.careline.config.ReportsMapping;
import org.careline.config.SiteDirectory;
import org.careline.model.KpiFigures;
import org.careline.model.ReportTrigger;
import org.careline.model.Site;
import org.careline.store.Database;
import org.careline.store.KpiReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Makes a site's report for a month and keeps it: asks {@link MonthFigures} for the figures, builds the rows
 * ({@link KpiReport}), writes the CSV and the PDF, and saves both in kpi_report (replacing the files of a report made
 * before for the same site and month). What the API, the CLI and the monthly round call. Logs ids only.
 */
public final class ReportMaker {

    private static final Logger LOG = LoggerFactory.getLogger(ReportMaker.class);

    /** What came of a request for a report. */
    public sealed interface Outcome permits Made, UnknownSite, BadMonth {
    }

    /** Made and kept. */
    public record Made(KpiReports.Summary report, byte[] csv, byte[] pdf) implements Outcome {
    }

    /** No such site in sites.yaml. */
    public record UnknownSite(String site) implements Outcome {
    }

    /** The month is malformed, under way or to come; {@code reason} says which, for the caller. */
    public record BadMonth(ReportMonth.Check check, String reason) implements Outcome {
    }

    private final Database db;
    private final KpiReports store;
    private final SiteDirectory sites;
    private final ReportsMapping mapping;
    private final Supplier<MonthFigures> figures;
    private final Clock clock;

    /** @param figures the figures' source, looked up at each use (see {@link MonthFigures#BEAN}) */
    public ReportMaker(Database db, KpiReports store, SiteDirectory sites, ReportsMapping mapping,
                       Supplier<MonthFigures> figures, Clock clock) {
        this.db = db;
        this.store = store;
        this.sites = sites;
        this.mapping = mapping;
        this.figures = figures;
        this.clock = clock;
    }

    public Outcome make(String site, String month, ReportTrigger trigger, String requestedBy) {
        Optional<Site> s = site == null ? Optional.empty() : sites.byCode(site);
        if (s.isEmpty()) {
            return new UnknownSite(site);
        }
        Instant now = clock.instant();
        ReportMonth.Check check = ReportMonth.check(month, s.get().zone(), now);
        if (!(check instanceof ReportMonth.Over over)) {
            return new BadMonth(check, ReportMonth.refusal(check));
        }
        return make(s.get(), over.month(), trigger, requestedBy, now);
    }

    /** Makes and keeps the report of a month known to be over. */
    Made make(Site site, YearMonth month, ReportTrigger trigger, String requestedBy, Instant now) {
        KpiReport report = build(site, month, now);
        byte[] csv = ReportCsv.write(report);
        byte[] pdf = ReportPdf.write(report);
        long id = db.inTransaction(c -> store.save(c, site.code(), month.toString(), trigger, requestedBy, csv, pdf,
                now));
        KpiReports.Summary summary = db.inTransaction(c -> store.find(c, id)).orElseThrow();
        LOG.info("kpi report={} site={} month={} trigger={} made (csv {} bytes, pdf {} bytes)", id, site.code(),
                month, trigger.dbValue(), csv.length, pdf.length);
        return new Made(summary, csv, pdf);
    }

    /** The report's rows from the figures of the site's month. */
    public KpiReport build(Site site, YearMonth month, Instant now) {
        KpiFigures f = figures.get().month(site.code(), month);
        ReportsMapping.SiteReport settings = mapping.forSite(site.code());
        return KpiReport.of(new KpiReport.Header(site.code(), site.name(), month, site.zone(), now,
                settings.currency()), f, settings);
    }

    public SiteDirectory sites() {
        return sites;
    }

    public ReportsMapping mapping() {
        return mapping;
    }
}
