package org.careline.alerts.rules;

import org.careline.config.AlertRulesMapping;
import org.careline.config.SiteDirectory;
import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.model.Site;
import org.careline.model.WatchedQueue;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.RuleMeasures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The alert rules' look (routes/alert-rules.yaml, once a minute; the quartz route is stateful, so looks never
 * overlap): each enabled rule is measured ({@link RuleMeasures}), decided ({@link RuleDecisions}) and its outcome
 * applied to the alert table — raised once per kind and subject (nothing while one is open), cleared when the
 * condition ends, so a condition that comes back is raised anew. The open alerts are the state: an engine that
 * restarts carries on where the last one stopped. A rule turned off has its open alerts cleared.
 */
public final class AlertRuleWatch {

    private static final Logger LOG = LoggerFactory.getLogger(AlertRuleWatch.class);
    /** The kinds of the rules' alerts: "rule:" and the rule type as in alerts.yaml. */
    public static final String SEND_FAILURE_RATE = "rule:send_failure_rate";
    public static final String QUEUE_AGE = "rule:queue_age";
    public static final String SENDING_PAUSED = "rule:sending_paused";
    public static final String WEBHOOKS_STOPPED = "rule:webhooks_stopped";
    public static final String FEED_SILENT = "rule:feed_silent";
    public static final String KEYWORD_RATE = "rule:keyword_rate";
    public static final String DEAD_LETTERS = "rule:dead_letters";
    /** How far back the first look for SIU reaches: a site not heard from for longer is taken as not fed. */
    static final Duration FEED_LOOKBACK = Duration.ofDays(7);
    /** Read again on each look: an SIU committed a little after its received_at stamp is not missed. */
    private static final Duration OVERLAP = Duration.ofMinutes(5);
    private static final String NO_SITE = "none";

    /** One subject's outcome, and the site its alert is of (null: none). */
    private record Judged(String site, RuleOutcome outcome) {
    }

    private final Database db;
    private final RuleMeasures measures;
    private final AlertRulesMapping rules;
    private final RuleAlerts alerts;
    private final SiteDirectory sites;
    private final Supplier<Instant> pausedSince;
    private final Clock clock;
    private final Instant startedAt;
    private final Map<String, Instant> lastSiu = new HashMap<>();
    private Instant siuLookedAt;

    /**
     * @param pausedSince since when sending has been paused; null while it is not
     */
    public AlertRuleWatch(Database db, RuleMeasures measures, AlertRulesMapping rules, RuleAlerts alerts,
                          SiteDirectory sites, Supplier<Instant> pausedSince, Clock clock) {
        this.db = db;
        this.measures = measures;
        this.rules = rules;
        this.alerts = alerts;
        this.sites = sites;
        this.pausedSince = pausedSince;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** One look at every rule, each in its own transaction (one rule's failure does not keep the others back). */
    public synchronized void evaluate() {
        Instant now = clock.instant();
        look(SEND_FAILURE_RATE, rules.sendFailureRate().delivery(), true, c -> sendFailureRate(c, now), now);
        look(QUEUE_AGE, rules.queueAge().delivery(), true, c -> queueAge(c, now), now);
        look(SENDING_PAUSED, rules.sendingPaused().delivery(), true, c -> sendingPaused(now), now);
        look(WEBHOOKS_STOPPED, rules.webhooksStopped().delivery(), true, c -> webhooksStopped(c, now), now);
        look(FEED_SILENT, rules.feedSilent().delivery(), false, c -> feedSilent(c, now), now);
        look(KEYWORD_RATE, rules.keywordRate().delivery(), true, c -> keywordRate(c, now), now);
        look(DEAD_LETTERS, rules.deadLetters().delivery(), true, c -> deadLetters(c, now), now);
    }

    @FunctionalInterface
    private interface Measure {
        Map<String, Judged> judge(Connection c) throws SQLException;
    }

    /**
     * Measures and decides one rule, then applies each subject's outcome. An open alert about a subject the look no
     * longer measured (a site with no sends now, a queue no longer watched) is cleared when {@code clearUnseen}.
     */
    private void look(String kind, AlertRulesMapping.Delivery delivery, boolean clearUnseen, Measure measure,
                      Instant now) {
        try {
            db.inTransaction(c -> {
                Set<String> open = alerts.openSubjects(c, kind);
                if (!delivery.enabled()) {
                    for (String subject : open) {
                        alerts.clear(c, kind, subject, now);
                    }
                    return null;
                }
                Map<String, Judged> judged = measure.judge(c);
                for (Map.Entry<String, Judged> e : judged.entrySet()) {
                    apply(c, kind, delivery.severity(), e.getKey(), e.getValue(), open, now);
                }
                if (clearUnseen) {
                    for (String subject : open) {
                        if (!judged.containsKey(subject)) {
                            alerts.clear(c, kind, subject, now);
                            LOG.info("alert rule {}: {} is over; its alert is cleared", kind, subject);
                        }
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("alert rule {}: the look failed ({}); tried again at the next look", kind,
                    e.getClass().getSimpleName());
            LOG.debug("alert rule look failed", e);
        }
    }

    private void apply(Connection c, String kind, AlertSeverity severity, String subject, Judged j, Set<String> open,
                       Instant now) throws SQLException {
        if (j.outcome() instanceof RuleOutcome.Raise r) {
            if (!open.contains(subject)) {
                alerts.raise(c, kind, new AlertRaise(kind, severity, j.site(), subject, null, r.detail()), now);
                LOG.warn("ALERT: {} {}: {}", kind, subject, r.detail());
            }
        } else if (j.outcome() instanceof RuleOutcome.Clear && open.contains(subject)) {
            alerts.clear(c, kind, subject, now);
            LOG.info("alert rule {}: {} is over; its alert is cleared", kind, subject);
        }
    }

    private Map<String, Judged> sendFailureRate(Connection c, Instant now) throws SQLException {
        AlertRulesMapping.SendFailureRate rule = rules.sendFailureRate();
        Map<String, Judged> out = new LinkedHashMap<>();
        measures.sendOutcomes(c, now.minus(rule.window())).forEach((site, n) -> out.put(
                "sends@" + (site == null ? NO_SITE : site),
                new Judged(site, RuleDecisions.sendFailureRate(n.attempted(), n.failed(), rule))));
        return out;
    }

    private Map<String, Judged> queueAge(Connection c, Instant now) throws SQLException {
        Map<String, Judged> out = new LinkedHashMap<>();
        for (WatchedQueue q : WatchedQueue.values()) {
            Duration threshold = rules.queueAge().thresholds().get(q);
            if (threshold != null) {
                Instant since = measures.oldestWaiting(c, q, now).orElse(null);
                out.put("queue:" + q.key(), new Judged(null, RuleDecisions.queueAge(q.key(), since, threshold, now)));
            }
        }
        return out;
    }

    private Map<String, Judged> sendingPaused(Instant now) {
        return Map.of("cloud-api", new Judged(null,
                RuleDecisions.sendingPaused(pausedSince.get(), rules.sendingPaused().threshold(), now)));
    }

    private Map<String, Judged> webhooksStopped(Connection c, Instant now) throws SQLException {
        AlertRulesMapping.WebhooksStopped rule = rules.webhooksStopped();
        Instant last = measures.lastWebhookReceived(c).orElse(null);
        long sent = measures.sentSince(c, now.minus(rule.window()));
        return Map.of("webhooks", new Judged(null, RuleDecisions.webhooksStopped(last, sent, startedAt, rule, now)));
    }

    /**
     * Each site's newest SIU is kept here and topped up from the SIU received since the last look (by
     * ix_inbound_received, then appointment_event by inbound_id), so a look reads only new rows.
     */
    private Map<String, Judged> feedSilent(Connection c, Instant now) throws SQLException {
        Instant since = siuLookedAt == null ? now.minus(FEED_LOOKBACK) : siuLookedAt.minus(OVERLAP);
        measures.lastSiuBySite(c, since).forEach((site, at) -> lastSiu.merge(site, at, (a, b) -> a.isAfter(b) ? a : b));
        siuLookedAt = now;
        Map<String, Judged> out = new LinkedHashMap<>();
        for (String code : sites.codes()) {
            Optional<AlertRulesMapping.SiteWatch> watch = rules.feedSilent().forSite(code);
            Site site = sites.site(code);
            out.put("site:" + code, new Judged(code, watch.isEmpty() ? RuleOutcome.CLEAR
                    : RuleDecisions.feedSilent(lastSiu.get(code), watch.get(), site.zone(), startedAt, now)));
        }
        return out;
    }

    private Map<String, Judged> keywordRate(Connection c, Instant now) throws SQLException {
        AlertRulesMapping.KeywordRate rule = rules.keywordRate();
        Map<String, Judged> out = new LinkedHashMap<>();
        for (AlertRulesMapping.Watch w : rule.watches()) {
            Map<String, Long> current = count(c, w, now.minus(rule.window()), now);
            Map<String, long[]> earlier = new HashMap<>();
            for (int week = 1; week <= rule.weeks(); week++) {
                Instant to = now.minus(Duration.ofDays(7L * week));
                int index = week - 1;
                count(c, w, to.minus(rule.window()), to).forEach((site, n) ->
                        earlier.computeIfAbsent(site, k -> new long[rule.weeks()])[index] = n);
            }
            Set<String> seen = new java.util.HashSet<>(current.keySet());
            seen.addAll(earlier.keySet());
            for (String site : seen) {
                out.put(w.name() + "@" + (site == null ? NO_SITE : site), new Judged(site,
                        RuleDecisions.keywordRate(w.name(), current.getOrDefault(site, 0L),
                                earlier.getOrDefault(site, new long[rule.weeks()]), rule)));
            }
        }
        return out;
    }

    private Map<String, Long> count(Connection c, AlertRulesMapping.Watch w, Instant from, Instant to)
            throws SQLException {
        AlertRulesMapping.Counted counted = w.counted();
        if (counted instanceof AlertRulesMapping.ByIntent i) {
            return measures.intentCounts(c, i.intent().name(), from, to);
        }
        if (counted instanceof AlertRulesMapping.ByQueue q) {
            return measures.queueCounts(c, q.queue(), from, to);
        }
        return measures.wordCounts(c, w.name(), from, to);
    }

    private Map<String, Judged> deadLetters(Connection c, Instant now) throws SQLException {
        long n = measures.deadLettersSince(c, now.minus(Duration.ofHours(1)));
        return Map.of("dead-letters", new Judged(null, RuleDecisions.deadLetters(n, rules.deadLetters().perHour())));
    }
}
