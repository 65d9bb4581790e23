package org.careline.alerts.rules;

import org.careline.config.AlertRulesMapping;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

/**
 * The decision of each alert rule (pure): from the measured numbers, the rule and now to {@link RuleOutcome}. The
 * measuring is {@link org.careline.store.RuleMeasures}; applying the outcome is {@link AlertRuleWatch}.
 */
public final class RuleDecisions {

    private RuleDecisions() {
    }

    /** Failed over attempted sends in the window above the rule's percentage, once there were enough sends. */
    public static RuleOutcome sendFailureRate(long attempted, long failed, AlertRulesMapping.SendFailureRate rule) {
        if (attempted >= rule.minSends() && failed * 100.0 > rule.percent() * attempted) {
            return new RuleOutcome.Raise(String.format(Locale.ROOT, "%d of %d sends failed in %d min (%.1f %%; "
                            + "threshold %s %%)", failed, attempted, rule.window().toMinutes(),
                    failed * 100.0 / attempted, number(rule.percent())));
        }
        return RuleOutcome.CLEAR;
    }

    /** The oldest waiting item ({@code since}; null: none waits) has waited longer than {@code threshold}. */
    public static RuleOutcome queueAge(String queue, Instant since, Duration threshold, Instant now) {
        if (since != null && Duration.between(since, now).compareTo(threshold) > 0) {
            return new RuleOutcome.Raise("oldest " + queue + " item waiting " + minutes(Duration.between(since, now))
                    + " (threshold " + minutes(threshold) + ")");
        }
        return RuleOutcome.CLEAR;
    }

    /**
     * Sending paused since {@code pausedSince} (null: not paused) for at least {@code threshold}; a shorter pause
     * neither raises nor clears.
     */
    public static RuleOutcome sendingPaused(Instant pausedSince, Duration threshold, Instant now) {
        if (pausedSince == null) {
            return RuleOutcome.CLEAR;
        }
        if (!now.isBefore(pausedSince.plus(threshold))) {
            return new RuleOutcome.Raise("sending paused since " + pausedSince + " (threshold " + minutes(threshold)
                    + ")");
        }
        return RuleOutcome.HOLD;
    }

    /**
     * No webhook for the window while messages went out. Silence is counted from the later of the last webhook and
     * {@code watchingSince} (the engine's start: it heard nothing before). A webhook within the window clears;
     * silence with too few sends to expect statuses holds (nothing tells whether Meta's webhooks would come).
     */
    public static RuleOutcome webhooksStopped(Instant lastWebhook, long sentInWindow, Instant watchingSince,
                                              AlertRulesMapping.WebhooksStopped rule, Instant now) {
        Instant cutoff = now.minus(rule.window());
        if (lastWebhook != null && lastWebhook.isAfter(cutoff)) {
            return RuleOutcome.CLEAR;
        }
        Instant silentSince = lastWebhook == null || lastWebhook.isBefore(watchingSince) ? watchingSince : lastWebhook;
        if (!silentSince.isAfter(cutoff) && sentInWindow >= rule.minSent()) {
            return new RuleOutcome.Raise("no webhook from Meta for over " + minutes(rule.window()) + " while "
                    + sentInWindow + " messages were sent" + (lastWebhook == null ? "" : "; last at " + lastWebhook));
        }
        return RuleOutcome.HOLD;
    }

    /**
     * No SIU about a site's appointments for {@code watch.after()} within its working hours (in {@code zone}).
     * Silence counts from the latest of the last SIU, the start of the current working period and
     * {@code watchingSince}, so a feed quiet overnight is not silent at 07:01. A site never heard from
     * ({@code lastSiu} null) is never called silent; an SIU within {@code after} clears, at any hour; outside working
     * hours nothing is raised and an open alert stays.
     */
    public static RuleOutcome feedSilent(Instant lastSiu, AlertRulesMapping.SiteWatch watch, ZoneId zone,
                                         Instant watchingSince, Instant now) {
        if (lastSiu == null) {
            return RuleOutcome.HOLD;
        }
        Instant cutoff = now.minus(watch.after());
        if (lastSiu.isAfter(cutoff)) {
            return RuleOutcome.CLEAR;
        }
        Optional<LocalDateTime> periodStart = watch.hours().periodStart(LocalDateTime.ofInstant(now, zone));
        if (periodStart.isEmpty()) {
            return RuleOutcome.HOLD;
        }
        Instant silentSince = latest(lastSiu, latest(periodStart.get().atZone(zone).toInstant(), watchingSince));
        if (!silentSince.isAfter(cutoff)) {
            return new RuleOutcome.Raise("no SIU for over " + minutes(watch.after()) + " within working hours ("
                    + watch.hours() + "); last at " + lastSiu);
        }
        return RuleOutcome.HOLD;
    }

    /**
     * {@code count} in the last window against {@code earlier} (the same window of each of the earlier weeks):
     * raised when at least minCount and at least factor × the usual mean (never below the floor).
     */
    public static RuleOutcome keywordRate(String watch, long count, long[] earlier,
                                          AlertRulesMapping.KeywordRate rule) {
        double mean = 0;
        for (long n : earlier) {
            mean += n;
        }
        mean = earlier.length == 0 ? 0 : mean / earlier.length;
        double usual = Math.max(mean, rule.floor());
        if (count >= rule.minCount() && count >= rule.factor() * usual) {
            return new RuleOutcome.Raise(String.format(Locale.ROOT, "%s: %d in the last %d min; usually %.1f "
                            + "(mean of the same hour over %d weeks; raised at %s × and at least %d)", watch, count,
                    rule.window().toMinutes(), mean, earlier.length, number(rule.factor()), rule.minCount()));
        }
        return RuleOutcome.CLEAR;
    }

    /** More dead letters in the last hour than the rule allows. */
    public static RuleOutcome deadLetters(long lastHour, int perHour) {
        if (lastHour > perHour) {
            return new RuleOutcome.Raise(lastHour + " dead letters in the last hour (threshold " + perHour + ")");
        }
        return RuleOutcome.CLEAR;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
