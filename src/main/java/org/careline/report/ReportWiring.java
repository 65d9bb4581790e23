package org.careline.report;

import org.apache.camel.main.Main;
import org.careline.config.NotificationRules;
import org.careline.config.ReportsMapping;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.config.SmtpSettings;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.KpiReports;
import org.careline.store.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wires the monthly KPI report into an engine: reads mappings/reports.yaml, binds the figures' source (bean
 * {@value MonthFigures#BEAN}) and the round of routes/reports.yaml (bean {@code monthlyReports}); returns what the
 * staff API needs.
 */
public final class ReportWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ReportWiring.class);

    /** What the API and the CLI use: the maker, and the table of kept reports. */
    public record Reports(ReportMaker maker, KpiReports store, Database db) {
    }

    private ReportWiring() {
    }

    public static ReportsMapping load(Path mappingsDir, SiteDirectory sites, NotificationRules notifications) {
        return ReportsMapping.load(mappingsDir, code -> sites.byCode(code).isPresent(), notifications);
    }

    /** @param source the figures: the statistics service's {@code month} (stats.StatsService) */
    public static Reports bind(Main main, Database db, Settings s, SiteDirectory sites,
                               NotificationRules notifications, AlertLog alerts, MonthFigures source, Clock clock) {
        ReportsMapping mapping = load(s.mappingsDir(), sites, notifications);
        main.bind(MonthFigures.BEAN, source);
        // Looked up at each use, so a source bound later (by the statistics wiring, or a test) is the one asked.
        Supplier<MonthFigures> figures = () -> main.getCamelContext().getRegistry()
                .lookupByNameAndType(MonthFigures.BEAN, MonthFigures.class);
        KpiReports store = new KpiReports();
        ReportMaker maker = new ReportMaker(db, store, sites, mapping, figures, clock);
        Map<String, String> off = new LinkedHashMap<>();
        Map<String, ReportMail> channels = channels(mapping, sites, notifications, s.smtp(), off);
        if (!off.isEmpty()) {
            LOG.warn("report e-mail channels {} are off: CARELINE_SMTP_HOST is not set; reports are kept for "
                    + "download only", off.keySet());
        }
        RetryPolicy retries = RetryPolicy.untilDone(Duration.ofMillis(s.alertRetryBaseMillis()),
                Duration.ofMillis(s.alertRetryMaxMillis()));
        main.bind("monthlyReports", new MonthlyReports(maker, db, store, channels, off, alerts, retries,
                s.alertGiveUpAfter(), clock));
        return new Reports(maker, store, db);
    }

    /** The e-mail channels reports.yaml names that can send; those that cannot go to {@code off} with why. */
    static Map<String, ReportMail> channels(ReportsMapping mapping, SiteDirectory sites,
                                            NotificationRules notifications, SmtpSettings smtp,
                                            Map<String, String> off) {
        Map<String, ReportMail> out = new LinkedHashMap<>();
        java.util.Set<String> named = new java.util.LinkedHashSet<>(mapping.defaults().channels());
        for (String code : sites.codes()) {
            named.addAll(mapping.forSite(code).channels());
        }
        for (String name : named) {
            if (notifications.channels().get(name) instanceof NotificationRules.Email e) {
                if (smtp.enabled()) {
                    out.put(name, new ReportMail(name, e.to(), smtp));
                } else {
                    off.put(name, "e-mail is off: CARELINE_SMTP_HOST is not set");
                }
            }
        }
        return out;
    }
}
