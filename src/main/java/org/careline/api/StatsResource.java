package org.careline.api;

import org.careline.model.KpiFigures;
import org.careline.model.Role;
import org.careline.stats.PortalOpens;
import org.careline.stats.StatsPeriod;
import org.careline.stats.StatsService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures under /api/v1/stats (docs/figures.md), for admins and staff (staff see only their sites), and the
 * portal's report that a notice's link was opened. Every stats endpoint takes {@code site}, {@code service}, and
 * {@code period} (today, 7d, 30d) or {@code from} and {@code to}; each answers what one chart of the dashboard shows.
 */
final class StatsResource {

    private static final Set<Role> READERS = Set.of(Role.ADMIN, Role.STAFF);
    private static final Set<Role> PORTAL = Set.of(Role.PORTAL);
    private static final String PARAMETERS = " (?site, ?service, ?period=today|7d|30d or ?from&to)";

    private final StatsService stats;
    private final PortalOpens opens;
    private final ApiAudit audit;

    StatsResource(StatsService stats, PortalOpens opens, ApiAudit audit) {
        this.stats = stats;
        this.opens = opens;
        this.audit = audit;
    }

    List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/stats/summary", READERS, "every figure of the dashboard's table" + PARAMETERS,
                        call -> ApiAnswer.ok(figures(call))),
                new Endpoint("GET", "/stats/messages", READERS, "template messages sent, delivered, read, failed: "
                        + "in all, by kind and by day" + PARAMETERS, call -> ApiAnswer.ok(messages(figures(call)))),
                new Endpoint("GET", "/stats/replies", READERS, "patients' replies by intent, opt-outs, replies by day"
                        + PARAMETERS, call -> ApiAnswer.ok(replies(figures(call)))),
                new Endpoint("GET", "/stats/queues", READERS, "staff queue items, median and 90th-percentile time to "
                        + "first answer, SLA kept; emergencies" + PARAMETERS, call -> ApiAnswer.ok(queues(figures(call)))),
                new Endpoint("GET", "/stats/no-shows", READERS, "no-show rates: confirmed, reached not confirmed, not "
                        + "reached, and the difference" + PARAMETERS, call -> ApiAnswer.ok(noShows(figures(call)))),
                new Endpoint("GET", "/stats/failures", READERS, "failed sends by Cloud API error code" + PARAMETERS,
                        call -> ApiAnswer.ok(failures(figures(call)))),
                new Endpoint("GET", "/stats/results", READERS, "results and document notices sent, links opened"
                        + PARAMETERS, call -> ApiAnswer.ok(results(figures(call)))),
                new Endpoint("GET", "/stats/sites", READERS, "the sites the caller may pick, with their services",
                        call -> ApiAnswer.ok(Map.of("sites", stats.sites(call.caller().sites())))),
                new Endpoint("POST", "/portal/link-opened", PORTAL, "the portal reports a notice's link opened "
                        + "{token}: counted once per notice (204); an invalid or expired token is a 400", this::opened));
    }

    /** The figures a request asks for, after checking its site (404 unknown, 403 not the caller's) and dates (400). */
    private KpiFigures figures(ApiCall call) {
        String site = call.queryValue("site");
        Set<String> visible = call.caller().sites();
        if (site != null) {
            if (!stats.knowsSite(site)) {
                throw new ApiAnswer.Problem(404, "no such site");
            }
            if (visible != null && !visible.contains(site)) {
                throw new ApiAnswer.Problem(403, "not one of your sites");
            }
        }
        StatsPeriod.Choice choice = StatsPeriod.parse(call.queryValue("period"), call.queryValue("from"),
                call.queryValue("to"), stats.today(site));
        if (choice instanceof StatsPeriod.Invalid invalid) {
            throw new ApiAnswer.Problem(400, invalid.message());
        }
        StatsPeriod.Range range = (StatsPeriod.Range) choice;
        return stats.figures(visible, site, call.queryValue("service"), range.from(), range.to());
    }

    private static Map<String, Object> head(KpiFigures k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("site", k.site());
        m.put("service", k.service());
        m.put("from", k.from().toString());
        m.put("to", k.to().toString());
        return m;
    }

    private static Map<String, Object> counts(KpiFigures.MessageCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", c.sent());
        m.put("delivered", c.delivered());
        m.put("read", c.read());
        m.put("failed", c.failed());
        return m;
    }

    static Map<String, Object> messages(KpiFigures k) {
        Map<String, Object> m = head(k);
        m.put("total", counts(k.messages().total()));
        List<Map<String, Object>> kinds = new ArrayList<>();
        for (KpiFigures.KindCounts kc : k.messages().byKind()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", kc.kind());
            row.putAll(counts(kc.counts()));
            kinds.add(row);
        }
        m.put("byKind", kinds);
        List<Map<String, Object>> daily = new ArrayList<>();
        for (KpiFigures.DayFigures d : k.daily()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", d.day().toString());
            row.putAll(counts(d.messages()));
            daily.add(row);
        }
        m.put("daily", daily);
        return m;
    }

    static Map<String, Object> replies(KpiFigures k) {
        Map<String, Object> m = head(k);
        KpiFigures.Replies r = k.replies();
        Map<String, Object> by = new LinkedHashMap<>();
        by.put("confirm", r.confirm());
        by.put("change", r.change());
        by.put("cancel", r.cancel());
        by.put("location", r.location());
        by.put("help", r.help());
        by.put("stop", r.stop());
        by.put("other", r.other());
        m.put("replies", by);
        m.put("optOuts", k.optOuts());
        List<Map<String, Object>> daily = new ArrayList<>();
        for (KpiFigures.DayFigures d : k.daily()) {
            daily.add(new LinkedHashMap<>(Map.of("day", d.day().toString(), "replies", d.replies())));
        }
        m.put("daily", daily);
        return m;
    }

    static Map<String, Object> queues(KpiFigures k) {
        Map<String, Object> m = head(k);
        List<Map<String, Object>> queues = new ArrayList<>();
        for (KpiFigures.QueueFigures q : k.queues()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", q.queue());
            row.put("items", q.items());
            row.put("answered", q.answered());
            row.put("medianFirstAnswerSeconds", seconds(q.medianFirstAnswer()));
            row.put("p90FirstAnswerSeconds", seconds(q.p90FirstAnswer()));
            row.put("slaKept", q.slaKept());
            row.put("slaKeptRate", q.slaKeptRate());
            queues.add(row);
        }
        m.put("queues", queues);
        m.put("emergencies", k.emergencies());
        return m;
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.getSeconds();
    }

    private static Map<String, Object> group(KpiFigures.NoShowGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appointments", g.appointments());
        m.put("noShows", g.noShows());
        m.put("rate", g.rate());
        return m;
    }

    static Map<String, Object> noShows(KpiFigures k) {
        Map<String, Object> m = head(k);
        KpiFigures.NoShowSplit s = k.noShows();
        m.put("confirmed", group(s.confirmed()));
        m.put("reachedNotConfirmed", group(s.reachedNotConfirmed()));
        m.put("notReached", group(s.notReached()));
        m.put("reached", group(s.reached()));
        m.put("difference", s.difference());
        return m;
    }

    static Map<String, Object> failures(KpiFigures k) {
        Map<String, Object> m = head(k);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (KpiFigures.FailureCause f : k.failures()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", f.code());
            row.put("reason", f.reason());
            row.put("count", f.count());
            rows.add(row);
        }
        m.put("failures", rows);
        return m;
    }

    static Map<String, Object> results(KpiFigures k) {
        Map<String, Object> m = head(k);
        m.put("noticesSent", k.results().noticesSent());
        m.put("linksOpened", k.results().linksOpened());
        return m;
    }

    private ApiAnswer opened(ApiCall call) {
        Bodies.PortalOpenBody body = Bodies.read(call, Bodies.PortalOpenBody.class, "with the portal link's token");
        PortalOpens.Outcome o = opens.opened(body.token(), call.now());
        if (o instanceof PortalOpens.InvalidToken invalid) {
            audit.record(call, "portal_link_opened", null, null, null, "refused", "invalid token");
            return ApiAnswer.error(400, invalid.why());
        }
        long notice = o instanceof PortalOpens.Counted c ? c.noticeId() : ((PortalOpens.AlreadyCounted) o).noticeId();
        audit.record(call, "portal_link_opened", null, "notice:" + notice, null, "ok", o.getClass().getSimpleName());
        return ApiAnswer.noContent();
    }
}
