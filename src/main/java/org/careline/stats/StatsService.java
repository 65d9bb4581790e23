package org.careline.stats;

import org.careline.config.SiteDirectory;
import org.careline.model.KpiFigures;
import org.careline.model.MessageKind;
import org.careline.model.Site;
import org.careline.store.Database;
import org.careline.store.StatsRollups;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of a site (or of every site a reader may see) over a range of local days, as {@link KpiFigures}:
 * counts from the daily roll-ups (brought up to date first, see {@link RollupFolder}), queue times from the staff
 * handoffs themselves. The dashboard's API and the monthly report both read them here.
 */
public final class StatsService {

    private static final Set<String> NOTICE_KINDS = Set.of(MessageKind.RESULTS_AVAILABLE.name(),
            MessageKind.RESULTS_UPDATED.name(), MessageKind.DOCUMENT_AVAILABLE.name(),
            MessageKind.DOCUMENT_ATTACHED.name());

    private final Database db;
    private final StatsRollups rollups;
    private final RollupFolder folder;
    private final SiteDirectory sites;
    private final Clock clock;

    public StatsService(Database db, StatsRollups rollups, RollupFolder folder, SiteDirectory sites, Clock clock) {
        this.db = db;
        this.rollups = rollups;
        this.folder = folder;
        this.sites = sites;
        this.clock = clock;
    }

    /** A site's code, name, zone and the services the figures have seen there. */
    public record SiteChoice(String code, String name, String zone, List<String> services) {
    }

    /** The monthly report's figures: one site (null: every site), every service, the whole calendar month. */
    public KpiFigures month(String site, YearMonth month) {
        return figures(null, site, null, month.atDay(1), month.atEndOfMonth());
    }

    /** Whether {@code code} is a site of mappings/sites.yaml. */
    public boolean knowsSite(String code) {
        return sites.byCode(code).isPresent();
    }

    /** The site's zone; the default site's for null (every site) or an unknown code. */
    public ZoneId zoneOf(String site) {
        return sites.site(site).zone();
    }

    /** Today in the site's zone (the default site's for every site). */
    public LocalDate today(String site) {
        return LocalDays.dayOf(clock.instant(), zoneOf(site));
    }

    /** The sites a reader may pick ({@code visible} null: all), in the file's order. */
    public List<SiteChoice> sites(Set<String> visible) {
        Map<String, List<String>> seen = db.inTransaction(rollups::services);
        List<SiteChoice> out = new ArrayList<>();
        for (String code : sites.codes()) {
            if (visible == null || visible.contains(code)) {
                Site s = sites.site(code);
                out.add(new SiteChoice(code, s.name(), s.zone().getId(), seen.getOrDefault(code, List.of())));
            }
        }
        return out;
    }

    /**
     * @param visible the sites the reader may see (null: every site, also figures of no site)
     * @param site    one site, or null for every visible one
     * @param service one service code, or null for all
     */
    public KpiFigures figures(Set<String> visible, String site, String service, LocalDate from, LocalDate to) {
        // What the logs gained since the last round is folded in now (cheap: only new rows); the no-show split is as
        // fresh as the last round of the timer (counting it again reads a month of appointments: not on a request).
        folder.fold();
        Collection<String> siteFilter = site != null ? List.of(site) : visible;
        List<StatsRollups.Total> totals = db.inTransaction(c -> rollups.totals(c, from, to, siteFilter, service));
        Instant wideFrom = from.atStartOfDay(ZoneOffset.UTC).toInstant().minus(RollupFolder.WIDEST_OFFSET);
        Instant wideTo = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(RollupFolder.WIDEST_OFFSET);
        List<StatsRollups.Handoff> handoffs = db.inTransaction(c -> rollups.handoffs(c, wideFrom, wideTo, service));
        List<StatsRollups.Handoff> inRange = new ArrayList<>();
        for (StatsRollups.Handoff h : handoffs) {
            boolean siteOk = siteFilter == null || siteFilter.contains(h.site());
            LocalDate day = LocalDays.dayOf(h.created(), sites.site(h.site().isEmpty() ? null : h.site()).zone());
            if (siteOk && !day.isBefore(from) && !day.isAfter(to)) {
                inRange.add(h);
            }
        }
        return assemble(site, service, from, to, totals, inRange);
    }

    /** Builds the figures from the summed roll-ups and the handoffs of the range (pure). */
    static KpiFigures assemble(String site, String service, LocalDate from, LocalDate to,
                               List<StatsRollups.Total> totals, List<StatsRollups.Handoff> handoffs) {
        long booked = 0;
        long optOuts = 0;
        long linksOpened = 0;
        long noticesSent = 0;
        Map<String, long[]> byKind = new TreeMap<>();
        Map<String, Long> replies = new HashMap<>();
        Map<String, long[]> noShow = new HashMap<>();
        Map<String, Long> failures = new HashMap<>();
        Map<LocalDate, long[]> daily = new TreeMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            daily.put(d, new long[6]); // booked, sent, delivered, read, failed, replies
        }
        for (StatsRollups.Total t : totals) {
            long[] day = daily.get(t.day());
            long n = t.amount();
            switch (t.figure()) {
                case FactFigures.BOOKED -> {
                    booked += n;
                    day[0] += n;
                }
                case FactFigures.SENT, FactFigures.DELIVERED, FactFigures.READ, FactFigures.FAILED -> {
                    int i = List.of(FactFigures.SENT, FactFigures.DELIVERED, FactFigures.READ, FactFigures.FAILED)
                            .indexOf(t.figure());
                    byKind.computeIfAbsent(t.detail(), k -> new long[4])[i] += n;
                    day[1 + i] += n;
                    if (i == 0 && NOTICE_KINDS.contains(t.detail())) {
                        noticesSent += n;
                    }
                }
                case FactFigures.REPLY -> {
                    replies.merge(t.detail(), n, Long::sum);
                    day[5] += n;
                }
                case FactFigures.OPT_OUT -> optOuts += n;
                case FactFigures.LINK_OPENED -> linksOpened += n;
                case FactFigures.FAILURE -> failures.merge(t.detail(), n, Long::sum);
                case FactFigures.DUE -> noShow.computeIfAbsent(t.detail(), k -> new long[2])[0] += n;
                case FactFigures.NO_SHOW -> noShow.computeIfAbsent(t.detail(), k -> new long[2])[1] += n;
                default -> {
                    // a figure of a later version: not shown by this one
                }
            }
        }
        long[] all = new long[4];
        List<KpiFigures.KindCounts> kinds = new ArrayList<>();
        byKind.forEach((kind, c) -> {
            kinds.add(new KpiFigures.KindCounts(kind, new KpiFigures.MessageCounts(c[0], c[1], c[2], c[3])));
            for (int i = 0; i < 4; i++) {
                all[i] += c[i];
            }
        });
        List<KpiFigures.FailureCause> causes = new ArrayList<>();
        failures.forEach((detail, n) -> causes.add(new KpiFigures.FailureCause(FactFigures.causeCode(detail),
                FactFigures.causeReason(detail), n)));
        causes.sort(Comparator.comparingLong(KpiFigures.FailureCause::count).reversed()
                .thenComparing(f -> f.code() == null ? Integer.MAX_VALUE : f.code())
                .thenComparing(f -> f.reason() == null ? "" : f.reason()));
        List<KpiFigures.DayFigures> days = new ArrayList<>();
        daily.forEach((d, v) -> days.add(new KpiFigures.DayFigures(d, v[0],
                new KpiFigures.MessageCounts(v[1], v[2], v[3], v[4]), v[5])));
        QueueTally queues = QueueTally.of(handoffs);
        return new KpiFigures(site, service, from, to, booked,
                new KpiFigures.Messages(new KpiFigures.MessageCounts(all[0], all[1], all[2], all[3]), kinds),
                new KpiFigures.Replies(replies.getOrDefault("confirm", 0L), replies.getOrDefault("change", 0L),
                        replies.getOrDefault("cancel", 0L), replies.getOrDefault("location", 0L),
                        replies.getOrDefault("help", 0L), replies.getOrDefault("stop", 0L),
                        replies.getOrDefault("other", 0L)),
                optOuts, queues.queues(), queues.emergencies(), new KpiFigures.Results(noticesSent, linksOpened),
                new KpiFigures.NoShowSplit(group(noShow, NoShowGroup.CONFIRMED),
                        group(noShow, NoShowGroup.REACHED_NOT_CONFIRMED), group(noShow, NoShowGroup.NOT_REACHED)),
                causes, days);
    }

    private static KpiFigures.NoShowGroup group(Map<String, long[]> noShow, NoShowGroup g) {
        long[] v = noShow.getOrDefault(g.key(), new long[2]);
        return new KpiFigures.NoShowGroup(v[0], v[1]);
    }

    /** Queue figures of a set of handoffs (pure). */
    record QueueTally(List<KpiFigures.QueueFigures> queues, long emergencies) {

        static QueueTally of(List<StatsRollups.Handoff> handoffs) {
            Map<String, List<StatsRollups.Handoff>> byQueue = new TreeMap<>();
            long emergencies = 0;
            for (StatsRollups.Handoff h : handoffs) {
                byQueue.computeIfAbsent(h.queue() == null ? "" : h.queue(), k -> new ArrayList<>()).add(h);
                if (h.urgent()) {
                    emergencies++;
                }
            }
            List<KpiFigures.QueueFigures> out = new ArrayList<>();
            byQueue.forEach((queue, items) -> {
                List<Long> seconds = new ArrayList<>();
                long kept = 0;
                for (StatsRollups.Handoff h : items) {
                    if (h.firstAnswer() != null) {
                        seconds.add(Duration.between(h.created(), h.firstAnswer()).getSeconds());
                        if (h.due() == null || !h.firstAnswer().isAfter(h.due())) {
                            kept++;
                        }
                    }
                }
                seconds.sort(null);
                Long median = Percentiles.nearestRank(seconds, 50);
                Long p90 = Percentiles.nearestRank(seconds, 90);
                out.add(new KpiFigures.QueueFigures(queue, items.size(), seconds.size(),
                        median == null ? null : Duration.ofSeconds(median),
                        p90 == null ? null : Duration.ofSeconds(p90), kept));
            });
            return new QueueTally(out, emergencies);
        }
    }
}
