package org.careline.report;

import org.careline.alerts.DeliveryOutcome;
import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.model.ReportTrigger;
import org.careline.model.Site;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.KpiReports;
import org.careline.store.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The report-monthly route's round (routes/reports.yaml, once a minute). First, for every site, the last month that
 * has ended in the site's time zone: its report is made if there is none yet (trigger monthly) and its e-mails are
 * queued, one per channel of mappings/reports.yaml, unless queued before. A look rather than a cron at 00:00 on the
 * 1st: an engine that was down then makes the report when it is back, and each site's month ends at its own
 * midnight. Then the due e-mails are sent, each claimed under a lease (never sent twice, even by engines sharing a
 * database), and recorded SENT, retried with backoff while the SMTP server is down, or DEAD with the reason — and an
 * alert (report_undelivered) — once refused or down past the give-up time. Logs ids only.
 */
public final class MonthlyReports {

    private static final Logger LOG = LoggerFactory.getLogger(MonthlyReports.class);
    private static final int BATCH = 20;
    /** Longer than one send may take (15 s to connect, then per read and write, with two attachments). */
    static final Duration LEASE = Duration.ofMinutes(5);
    public static final String ALERT_KIND = "report_undelivered";

    private final ReportMaker maker;
    private final Database db;
    private final KpiReports store;
    private final Map<String, ReportMail> channels;
    private final Map<String, String> offReasons;
    private final AlertLog alerts;
    private final RetryPolicy retries;
    private final Duration giveUpAfter;
    private final Clock clock;
    private final RandomGenerator random = new Random();
    private final String owner = "careline-" + UUID.randomUUID();

    /**
     * @param channels   e-mail channels that can send, by name
     * @param offReasons channels named in reports.yaml that cannot send (no CARELINE_SMTP_HOST) → why; nothing is
     *                   queued for them
     */
    public MonthlyReports(ReportMaker maker, Database db, KpiReports store, Map<String, ReportMail> channels,
                          Map<String, String> offReasons, AlertLog alerts, RetryPolicy retries, Duration giveUpAfter,
                          Clock clock) {
        this.maker = maker;
        this.db = db;
        this.store = store;
        this.channels = Map.copyOf(channels);
        this.offReasons = Map.copyOf(offReasons);
        this.alerts = alerts;
        this.retries = retries;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
    }

    /** The timer's call: make what is missing, then send what is due. Returns the e-mails sent. */
    public int run() throws SQLException {
        makeDue();
        return deliverDue();
    }

    /** Makes each site's report of its last ended month if missing, and queues its e-mails; returns reports made. */
    public int makeDue() {
        int made = 0;
        Instant now = clock.instant();
        for (String code : maker.sites().codes()) {
            Site site = maker.sites().site(code);
            YearMonth month = ReportMonth.lastEnded(now, site.zone());
            try {
                long id;
                var existing = db.inTransaction(c -> store.find(c, code, month.toString()));
                if (existing.isPresent()) {
                    id = existing.get().id();
                } else {
                    id = maker.make(site, month, ReportTrigger.MONTHLY, "system", now).report().id();
                    made++;
                }
                queue(id, code, now);
            } catch (RuntimeException e) {
                // One site's failure (its figures could not be read) must not keep the others' reports back.
                LOG.warn("kpi report site={} month={} not made ({}); tried again next round", code, month,
                        e.getClass().getSimpleName());
            }
        }
        return made;
    }

    private void queue(long reportId, String site, Instant now) {
        List<String> names = maker.mapping().forSite(site).channels();
        for (String name : names) {
            if (!channels.containsKey(name)) {
                continue; // e-mail is off: said once at start (offReasons), kept for download only
            }
            boolean queued = db.inTransaction(c -> store.queueDelivery(c, reportId, name, now));
            if (queued) {
                LOG.info("kpi report={} site={} e-mail to channel={} queued", reportId, site, name);
            }
        }
    }

    /** One round of e-mails; returns how many were sent. */
    public int deliverDue() throws SQLException {
        List<Long> claimed = store.claimDue(db.dataSource(), owner, clock.instant(), LEASE, BATCH);
        Map<String, Instant> downUntil = new HashMap<>();
        int sent = 0;
        for (long id : claimed) {
            KpiReports.Due due = db.inTransaction(c -> store.load(c, id));
            Instant down = downUntil.get(due.channel());
            if (down != null) {
                Instant now = clock.instant();
                db.inTransaction(c -> {
                    store.putBack(c, id, down, "not tried: channel failed earlier in the round", now);
                    return null;
                });
                continue;
            }
            Instant retryAt = deliver(due);
            if (retryAt == null) {
                sent++;
            } else if (!retryAt.equals(Instant.MAX)) {
                downUntil.put(due.channel(), retryAt);
            }
        }
        return sent;
    }

    /** Sends one; null when sent, MAX when finished otherwise, else when it is tried again. */
    private Instant deliver(KpiReports.Due due) {
        int attempts = due.attempts() + 1;
        ReportMail channel = channels.get(due.channel());
        if (channel == null) {
            dead(due, attempts, offReasons.getOrDefault(due.channel(),
                    "channel '" + due.channel() + "' is no longer an e-mail channel of notifications.yaml"));
            return Instant.MAX;
        }
        DeliveryOutcome outcome;
        try {
            outcome = channel.send(letter(due));
        } catch (RuntimeException e) {
            outcome = new DeliveryOutcome.Retry(e.getClass().getSimpleName(), null);
        }
        Instant now = clock.instant();
        if (outcome instanceof DeliveryOutcome.Delivered) {
            db.inTransaction(c -> {
                store.sent(c, due.id(), attempts, now);
                return null;
            });
            LOG.info("kpi report={} delivery={} channel={} sent", due.reportId(), due.id(), due.channel());
            return null;
        }
        if (outcome instanceof DeliveryOutcome.Refused r) {
            dead(due, attempts, r.reason());
            return Instant.MAX;
        }
        DeliveryOutcome.Retry r = (DeliveryOutcome.Retry) outcome;
        Instant retryAt = now.plus(retries.delay(attempts, r.retryAfter(), random));
        if (!retryAt.isBefore(due.createdAt().plus(giveUpAfter))) {
            dead(due, attempts, "gave up after " + attempts + " attempts: " + r.reason());
            return Instant.MAX;
        }
        db.inTransaction(c -> {
            store.retry(c, due.id(), attempts, retryAt, r.reason(), now);
            return null;
        });
        LOG.warn("kpi report={} delivery={} channel={} not sent ({}), attempt {}; retry at {}", due.reportId(),
                due.id(), due.channel(), r.reason(), attempts, retryAt);
        return retryAt;
    }

    private ReportMail.Letter letter(KpiReports.Due due) {
        byte[] pdf = db.inTransaction(c -> store.file(c, due.reportId(), KpiReports.Format.PDF)).orElseThrow();
        byte[] csv = db.inTransaction(c -> store.file(c, due.reportId(), KpiReports.Format.CSV)).orElseThrow();
        String siteName = maker.sites().byCode(due.site()).map(Site::name).orElse(due.site());
        return new ReportMail.Letter(due.reportId(), due.site(), siteName, due.month(), pdf, csv);
    }

    private void dead(KpiReports.Due due, int attempts, String reason) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            store.dead(c, due.id(), attempts, reason, now);
            alerts.raise(c, new AlertRaise(ALERT_KIND, AlertSeverity.WARNING, due.site(), "kpi_report:"
                    + due.reportId(), null, "channel " + due.channel() + ": " + reason), now);
            return null;
        });
        LOG.error("kpi report={} delivery={} channel={} given up: {}", due.reportId(), due.id(), due.channel(),
                reason);
    }
}
