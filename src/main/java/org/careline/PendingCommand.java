package org.careline;

import org.careline.config.MappingException;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.schedule.DueLine;
import org.careline.store.Database;
import org.careline.store.PendingMessages;
import org.careline.store.PendingMessages.Pending;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code careline pending}: the outbox's waiting messages, soonest first, with their due time in UTC and in the
 * site's zone (where quiet hours are reckoned). Ids, kinds and sites only: no names, numbers or texts.
 */
@Command(name = "pending", description = "List the messages waiting to be sent, soonest first (ids only; stop the "
        + "engine first when it uses the embedded H2 database).")
final class PendingCommand extends DatabaseCommand {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N messages (default 50).")
    private int limit;

    @Option(names = "--site", paramLabel = "SITE", description = "Only this site's messages (its code in sites.yaml).")
    private String site;

    private SiteDirectory sites;

    PendingCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    Integer before(PrintWriter err) {
        if (limit < 1) {
            err.println("careline pending: --limit must be at least 1");
            return 2;
        }
        try {
            Settings s = Settings.from(env);
            sites = SiteDirectory.load(s.mappingsDir(), s.zone(), s.phoneRegion());
        } catch (MappingException | IllegalArgumentException | IllegalStateException e) {
            err.println("careline pending: " + e.getMessage().split("\n", 2)[0]);
            return 2;
        }
        if (site != null && sites.byCode(site).isEmpty()) {
            err.println("careline pending: unknown site '" + site + "' (sites.yaml has " + sites.codes() + ")");
            return 2;
        }
        return null;
    }

    @Override
    String whileTheEngineRuns() {
        return "stop the engine first, or run this with CARELINE_DB_URL naming a PostgreSQL database it shares";
    }

    @Override
    int run(Database db, PrintWriter out, PrintWriter err) {
        List<Pending> rows = db.inTransaction(c -> new PendingMessages().next(c, limit, site));
        if (rows.isEmpty()) {
            out.println("nothing pending" + (site == null ? "" : " at " + site));
            return 0;
        }
        out.println(String.format(Locale.ROOT, "%-8s %-11s %-22s %-14s %-18s %-38s %-8s %s", "outbox", "appointment",
                "kind", "site", "due (UTC)", "due (site's zone)", "attempts", "held"));
        for (Pending p : rows) {
            ZoneId zone = sites.site(p.site()).zone();
            String about = p.appointmentId() != null ? String.valueOf(p.appointmentId())
                    : p.noticeId() != null ? "notice " + p.noticeId() : "-";
            String kind = p.kind().toLowerCase(Locale.ROOT) + (p.kind().equals("REMINDER") ? " " + p.label() : "");
            out.println(String.format(Locale.ROOT, "%-8d %-11s %-22s %-14s %-18s %-38s %-8d %s", p.outboxId(), about,
                    kind, p.site() == null ? "-" : p.site(), DueLine.utc(p.dueAt()),
                    p.dueAt().atZone(zone).format(LOCAL) + " " + zone, p.attempts(),
                    p.held() == null ? "-" : p.held()));
        }
        return 0;
    }
}
