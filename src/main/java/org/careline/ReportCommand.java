package org.careline;

import org.careline.config.MappingException;
import org.careline.config.NotificationRules;
import org.careline.config.ReportsMapping;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.model.ReportTrigger;
import org.careline.model.Site;
import org.careline.report.ReportFiles;
import org.careline.report.ReportMaker;
import org.careline.report.ReportMonth;
import org.careline.report.ReportWiring;
import org.careline.stats.StatsWiring;
import org.careline.store.Database;
import org.careline.store.KpiReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code careline report --site SITE --month 2026-11 [--out DIR] [--format pdf|csv|both]}: makes the site's monthly KPI
 * report from the engine's database, keeps it there (as an on-demand report, replacing one made before for the same
 * month) and writes the files to DIR, printing their paths. Every problem is one line: an unknown site, a month that
 * is malformed or not over, a database the running engine holds (then the console's button or the API does it).
 */
@Command(name = "report", description = "Make a site's monthly KPI report (CSV and PDF) for a month that has ended and "
        + "write the files; prints their paths.")
final class ReportCommand extends DatabaseCommand {

    @Option(names = "--site", required = true, paramLabel = "SITE", description = "the site's code in sites.yaml")
    private String site;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", description = "a month that has ended, e.g. "
            + "2026-11")
    private String month;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the files (default: the current "
            + "directory)")
    private Path out = Path.of(".");

    @Option(names = "--format", paramLabel = "FORMAT", description = "pdf, csv or both (default: both)")
    private String format = "both";

    private Settings settings;
    private SiteDirectory sites;
    private ReportsMapping mapping;

    ReportCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    Integer before(PrintWriter err) {
        if (!List.of("pdf", "csv", "both").contains(format.toLowerCase(Locale.ROOT))) {
            err.println("careline report: --format must be pdf, csv or both, got '" + format + "'");
            return 2;
        }
        try {
            settings = Settings.from(env);
            sites = SiteDirectory.load(settings.mappingsDir(), settings.zone(), settings.phoneRegion());
            NotificationRules notifications = NotificationRules.load(settings.mappingsDir(), env::get,
                    code -> sites.byCode(code).isPresent());
            mapping = ReportWiring.load(settings.mappingsDir(), sites, notifications);
        } catch (MappingException | IllegalArgumentException | IllegalStateException e) {
            err.println("careline report: " + e.getMessage().split("\n", 2)[0]);
            return 2;
        }
        Site s = sites.byCode(site).orElse(null);
        if (s == null) {
            err.println("careline report: unknown site '" + site + "' (sites.yaml has " + sites.codes() + ")");
            return 2;
        }
        ReportMonth.Check check = ReportMonth.check(month, s.zone(), Clock.systemUTC().instant());
        if (!(check instanceof ReportMonth.Over)) {
            err.println("careline report: " + ReportMonth.refusal(check));
            return 2;
        }
        return null;
    }

    @Override
    String whileTheEngineRuns() {
        return "while it runs, use the console's Monthly report button or POST /api/v1/reports";
    }

    @Override
    int run(Database db, PrintWriter stdout, PrintWriter err) throws Exception {
        Clock clock = Clock.systemUTC();
        // The engine is stopped: one roll-up round first (what it logged last, its no-shows counted again).
        ReportMaker maker = new ReportMaker(db, new KpiReports(), sites, mapping,
                () -> StatsWiring.offline(db, settings.values(), sites, clock)::month, clock);
        ReportMaker.Outcome o = maker.make(site, month, ReportTrigger.ON_DEMAND, "cli");
        if (!(o instanceof ReportMaker.Made made)) {
            err.println("careline report: " + (o instanceof ReportMaker.BadMonth b ? b.reason() : "unknown site"));
            return 2;
        }
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("csv")) {
            written.add(Files.write(out.resolve(ReportFiles.filename(site, made.report().month(), "pdf")), made.pdf()));
        }
        if (!f.equals("pdf")) {
            written.add(Files.write(out.resolve(ReportFiles.filename(site, made.report().month(), "csv")), made.csv()));
        }
        for (Path p : written) {
            stdout.println(p.toAbsolutePath().normalize());
        }
        return 0;
    }
}
