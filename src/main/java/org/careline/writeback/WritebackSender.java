package org.careline.writeback;

import org.careline.model.LogSafe;
import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.model.WritebackStatus;
import org.careline.model.WritebackChannel;
import org.careline.config.SiteDirectory;
import org.careline.fhir.FhirRejectedException;
import org.careline.fhir.FhirUnavailableException;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.RetryPolicy;
import org.careline.store.WritebackRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Sends patients' requests (confirm, change, cancel) and, where a site wants them, their messages to the scheduling
 * system. Called by the writeback route's quartz timer: takes due requests oldest first (per appointment strictly in
 * order) and sends each over its channel ({@link WritebackChannel}): an HL7 message over MLLP, or FHIR writes.
 * Accepted (AA/CA, or every FHIR write taken) → DONE; refused (AE/AR/CE/CR, or a FHIR 4xx) → REJECTED with an alert,
 * never resent; no answer (or FHIR 5xx, 408, 429, timeout) → PENDING again with exponential backoff, until one comes.
 * A request whose channel is not configured waits PENDING. Logs carry ids only.
 */
public final class WritebackSender {

    private static final Logger LOG = LoggerFactory.getLogger(WritebackSender.class);
    /** Retried until the scheduling system answers: a patient's request is never dropped for want of one. */
    public static final RetryPolicy RETRIES = RetryPolicy.untilDone(Duration.ofSeconds(5), Duration.ofMinutes(5));
    /** How long a request whose channel is not configured is left alone before it is looked at again. */
    static final Duration UNCONFIGURED_RECHECK = Duration.ofMinutes(5);
    /** Longer than any one send can take (connect + ACK timeouts); a claim older than this was an engine's crash. */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final int BATCH = 20;
    private static final int MAX_PER_ROUND = 200;
    public static final String ALERT_REJECTED = "writeback-rejected";
    public static final String ALERT_FAILED = "writeback-failed";
    /** The scheduling system answered nothing for longer than the threshold; cleared when it answers again. */
    public static final String ALERT_UNREACHABLE = "scheduling_unreachable";
    static final Duration DEFAULT_UNREACHABLE_AFTER = Duration.ofMinutes(15);

    /** The two ways out and whether each is configured. */
    public record Channels(SrmBuilder srm, SchedulingLink link, boolean mllpEnabled, FhirWritebackBuilder fhir,
                           FhirSchedulingWriter fhirWriter, boolean fhirEnabled) {
        boolean enabled(WritebackChannel channel) {
            return channel == WritebackChannel.FHIR ? fhirEnabled : mllpEnabled;
        }
    }

    private final Database db;
    private final WritebackRequests store;
    private final AlertLog alerts;
    private final Channels channels;
    private final SiteDirectory sites;
    private final Clock clock;
    private final RandomGenerator random;
    private final String owner = "careline-" + UUID.randomUUID();
    private final java.util.Set<WritebackChannel> waitingSaid = java.util.EnumSet.noneOf(WritebackChannel.class);
    private final Duration unreachableAfter;
    /** Per way out: since when it has answered nothing (absent: it answered last time, or was not tried). */
    private final java.util.Map<WritebackChannel, Instant> silentSince = new java.util.EnumMap<>(WritebackChannel.class);
    /** Ways out that answered since start: the first answer clears an alert an earlier life may have left open. */
    private final java.util.Set<WritebackChannel> answeredOnce = java.util.EnumSet.noneOf(WritebackChannel.class);

    public WritebackSender(Database db, WritebackRequests store, AlertLog alerts, Channels channels, SiteDirectory sites,
                           Clock clock) {
        this(db, store, alerts, channels, sites, clock, DEFAULT_UNREACHABLE_AFTER);
    }

    /** @param unreachableAfter how long the scheduling system may answer nothing before scheduling_unreachable */
    public WritebackSender(Database db, WritebackRequests store, AlertLog alerts, Channels channels, SiteDirectory sites,
                           Clock clock, Duration unreachableAfter) {
        this(db, store, alerts, channels, sites, clock, new Random(), unreachableAfter);
    }

    WritebackSender(Database db, WritebackRequests store, AlertLog alerts, Channels channels, SiteDirectory sites,
                    Clock clock, RandomGenerator random) {
        this(db, store, alerts, channels, sites, clock, random, DEFAULT_UNREACHABLE_AFTER);
    }

    WritebackSender(Database db, WritebackRequests store, AlertLog alerts, Channels channels, SiteDirectory sites,
                    Clock clock, RandomGenerator random, Duration unreachableAfter) {
        this.unreachableAfter = unreachableAfter;
        this.db = db;
        this.store = store;
        this.alerts = alerts;
        this.channels = channels;
        this.sites = sites;
        this.clock = clock;
        this.random = random;
        if (!channels.mllpEnabled()) {
            LOG.warn("write-back over MLLP disabled: CARELINE_SCHEDULING_MLLP is not set, so patients' "
                    + "confirm/change/cancel requests for HL7 appointments stay queued (PENDING) until it is set and "
                    + "Careline restarted");
        }
        if (!channels.fhirEnabled() && sites.usesFhirWriteback()) {
            LOG.warn("write-back over FHIR disabled: CARELINE_FHIR_BASE_URL is not set, so requests that go to the "
                    + "FHIR server (FHIR-fed appointments, sites with scheduling: fhir, recorded messages) stay "
                    + "queued (PENDING) until it is set and Careline restarted");
        }
    }

    /**
     * One round; returns how many requests were sent. A request that gets no answer ends the round: the scheduling
     * system is most likely down, and the next round tries again.
     */
    public int sendDue() {
        if (!channels.mllpEnabled() && !channels.fhirEnabled()) {
            return 0;
        }
        int sent = 0;
        int looked = 0;
        while (looked < MAX_PER_ROUND) {
            // Asked again after each batch: an answer may have freed an appointment's next request.
            List<Long> due = db.inTransaction(c -> store.due(c, clock.instant(), BATCH));
            boolean tookAny = false;
            for (long id : due) {
                WritebackRequests.Due request = db.inTransaction(c -> store.load(c, id));
                WritebackChannel channel = channelOf(request);
                if (!channels.enabled(channel)) {
                    waitUnconfigured(request, channel);
                    tookAny = true;
                    looked++;
                    continue;
                }
                if (!claim(id)) {
                    continue; // another engine has it
                }
                tookAny = true;
                sent++;
                looked++;
                boolean answered = channel == WritebackChannel.FHIR ? sendFhir(id) : sendHl7(id);
                if (!answered || looked >= MAX_PER_ROUND) {
                    return sent;
                }
            }
            if (!tookAny) {
                break;
            }
        }
        return sent;
    }

    private WritebackChannel channelOf(WritebackRequests.Due due) {
        return WritebackChannel.of(due.action(), sites.site(due.siteCode()).scheduling(), due.subject().source());
    }

    private void waitUnconfigured(WritebackRequests.Due due, WritebackChannel channel) {
        String missing = channel == WritebackChannel.FHIR ? "CARELINE_FHIR_BASE_URL" : "CARELINE_SCHEDULING_MLLP";
        Instant now = clock.instant();
        db.inTransaction(c -> {
            store.defer(c, due.id(), now.plus(UNCONFIGURED_RECHECK), missing + " not set", now);
            return null;
        });
        boolean first;
        synchronized (waitingSaid) {
            first = waitingSaid.add(channel);
        }
        if (first) {
            LOG.warn("writeback={} appointment={} action={} goes over {}, but {} is not set: it waits (PENDING), as "
                    + "will others like it", due.id(), due.appointmentId(), due.action(), channel, missing);
        }
    }

    private boolean claim(long id) {
        Instant now = clock.instant();
        try {
            return db.inTransaction(c -> store.claim(c, id, owner, newControlId(), now, LEASE));
        } catch (RuntimeException e) {
            return false; // another engine holds the row (lock timeout / serialization failure): it is theirs
        }
    }

    /** Sends one claimed request as an HL7 message and records the outcome; false if it got no answer. */
    private boolean sendHl7(long id) {
        WritebackRequests.Due due = db.inTransaction(c -> store.load(c, id));
        int attempts = due.attempts() + 1;
        String message;
        try {
            message = channels.srm().build(due.action(), due.subject(), due.controlId(), clock.instant());
        } catch (RuntimeException e) {
            // The mapping does not fit this feed's version: no retry can fix that, a person must.
            failed(due, e.getMessage(), "could not be built from mappings/writeback.yaml");
            return true;
        }
        AckOutcome outcome;
        try {
            outcome = channels.link().send(message.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            outcome = new AckOutcome.NotAnswered(e.getClass().getSimpleName());
        }
        Instant now = clock.instant();
        if (outcome instanceof AckOutcome.Accepted a) {
            db.inTransaction(c -> {
                store.answered(c, id, WritebackStatus.DONE, attempts, a.code(), a.text(), now);
                answered(c, WritebackChannel.HL7, now);
                return null;
            });
            LOG.info("writeback={} appointment={} action={} control={} accepted ({})", id, due.appointmentId(),
                    due.action(), due.controlId(), a.code());
            return true;
        }
        if (outcome instanceof AckOutcome.Rejected r) {
            db.inTransaction(c -> {
                store.answered(c, id, WritebackStatus.REJECTED, attempts, r.code(), r.text(), now);
                answered(c, WritebackChannel.HL7, now);
                alerts.raise(c, new AlertRaise(ALERT_REJECTED, AlertSeverity.WARNING, due.siteCode(),
                        "writeback:" + id, null, "writeback=" + id + " appointment=" + due.appointmentId()
                        + " action=" + due.action() + " ack=" + r.code()), now);
                return null;
            });
            LOG.warn("writeback={} appointment={} action={} control={} rejected by the scheduling system ({}); "
                    + "not resent, alert raised", id, due.appointmentId(), due.action(), due.controlId(), r.code());
            return true;
        }
        retry(due, attempts, ((AckOutcome.NotAnswered) outcome).reason(), "not answered", WritebackChannel.HL7);
        return false;
    }

    /** Makes one claimed request's FHIR writes and records the outcome; false if the server could not answer. */
    private boolean sendFhir(long id) {
        WritebackRequests.Due due = db.inTransaction(c -> store.load(c, id));
        int attempts = due.attempts() + 1;
        List<FhirWrite> writes;
        try {
            writes = channels.fhir().build(due.action(), due.subject(), due.message(),
                    sites.site(due.siteCode()).fhir(), id, clock.instant());
        } catch (RuntimeException e) {
            // E.g. an HL7-fed appointment at a site set to scheduling: fhir. A person must decide.
            failed(due, e.getMessage(), "could not be written to FHIR");
            return true;
        }
        try {
            List<String> refs = channels.fhirWriter().write(writes);
            String remote = String.join(" ", refs);
            Instant now = clock.instant();
            db.inTransaction(c -> {
                store.written(c, id, attempts, remote, now);
                answered(c, WritebackChannel.FHIR, now);
                return null;
            });
            LOG.info("writeback={} appointment={} action={} written to the FHIR server ({})", id, due.appointmentId(),
                    due.action(), LogSafe.of(remote));
            return true;
        } catch (FhirRejectedException e) {
            Instant now = clock.instant();
            db.inTransaction(c -> {
                store.refused(c, id, attempts, e.getMessage(), now);
                answered(c, WritebackChannel.FHIR, now);
                alerts.raise(c, new AlertRaise(ALERT_REJECTED, AlertSeverity.WARNING, due.siteCode(),
                        "writeback:" + id, e.status(), "writeback=" + id + " appointment=" + due.appointmentId()
                        + " action=" + due.action() + " http=" + e.status()), now);
                return null;
            });
            LOG.warn("writeback={} appointment={} action={} refused by the FHIR server ({}); not resent, alert raised",
                    id, due.appointmentId(), due.action(), LogSafe.of(e.getMessage()));
            return true;
        } catch (FhirUnavailableException | RuntimeException e) {
            retry(due, attempts, e instanceof FhirUnavailableException ? e.getMessage()
                    : e.getClass().getSimpleName(), "FHIR server unavailable", WritebackChannel.FHIR);
            return false;
        }
    }

    private void failed(WritebackRequests.Due due, String reason, String what) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            store.failed(c, due.id(), due.attempts(), reason, now);
            alerts.raise(c, new AlertRaise(ALERT_FAILED, AlertSeverity.WARNING, due.siteCode(),
                    "writeback:" + due.id(), null, "writeback=" + due.id() + " appointment=" + due.appointmentId()
                    + " action=" + due.action() + " " + what), now);
            return null;
        });
        LOG.error("ALERT: writeback={} appointment={} action={} {}: {}", due.id(), due.appointmentId(), due.action(),
                what, LogSafe.of(reason));
    }

    private void retry(WritebackRequests.Due due, int attempts, String reason, String what,
                       WritebackChannel channel) {
        Instant now = clock.instant();
        Instant retryAt = now.plus(RETRIES.delay(attempts, random));
        Instant since;
        synchronized (silentSince) {
            since = silentSince.computeIfAbsent(channel, k -> now);
        }
        boolean unreachable = !now.isBefore(since.plus(unreachableAfter));
        db.inTransaction(c -> {
            store.retry(c, due.id(), attempts, retryAt, reason, now);
            if (unreachable && alerts.raiseUnlessOpen(c, new AlertRaise(ALERT_UNREACHABLE, AlertSeverity.WARNING,
                    null, subject(channel), null, "no answer over " + channel + " since " + since + " (writeback="
                    + due.id() + ")"), now).isPresent()) {
                LOG.error("ALERT: the scheduling system has answered nothing over {} since {}; requests wait", channel,
                        since);
            }
            return null;
        });
        LOG.warn("writeback={} appointment={} action={} {} ({}), attempt {}; retry at {}", due.id(),
                due.appointmentId(), due.action(), what, LogSafe.of(reason), attempts, retryAt);
    }

    /**
     * The way out answered (accepted or refused: either way it is reachable), in the caller's transaction: ends a
     * silence, and clears its scheduling_unreachable alert when one may be open (this life's, or an earlier's).
     */
    private void answered(java.sql.Connection c, WritebackChannel channel, Instant now) throws java.sql.SQLException {
        boolean wasSilent;
        boolean first;
        synchronized (silentSince) {
            wasSilent = silentSince.remove(channel) != null;
            first = answeredOnce.add(channel);
        }
        if ((wasSilent || first) && alerts.clear(c, ALERT_UNREACHABLE, subject(channel), now) > 0) {
            LOG.info("the scheduling system answers again over {}; scheduling_unreachable cleared", channel);
        }
    }

    private static String subject(WritebackChannel channel) {
        return "scheduling:" + channel.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** MSH-10: 20 characters (the most HL7 v2.3 allows), unique without coordination between engines. */
    static String newControlId() {
        return ("CLW" + UUID.randomUUID().toString().replace("-", "")).substring(0, 20).toUpperCase(java.util.Locale.ROOT);
    }
}
