package org.careline.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.config.SiteDirectory;
import org.careline.config.TemplateCatalog;
import org.careline.results.PortalLink;
import org.careline.model.DueMessage;
import org.careline.model.MessageKind;
import org.careline.store.Database;
import org.careline.store.AuditLog;
import org.careline.store.ConsentStore;
import org.careline.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends what is due. Called by the dispatch route's quartz timer: claims due outbox rows, renders each from the
 * appointment's current data, posts it within the per-number rate cap, and records the outcome.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** How often a round waiting for its sends in flight checks for a nudge. */
    private static final long NUDGE_CHECK_MS = 2;
    private static final int BATCH = 500;
    /** How long a message held for consent waits before it is looked at again (a YES releases it sooner). */
    static final Duration HOLD_LOOK_AGAIN = Duration.ofHours(1);

    private final Database db;
    private final Outbox outbox;
    private final MessageRenderer renderer;
    private final CloudApiClient client;
    private final SendRateCap rateCap;
    private final Clock clock;
    /** How long a claim holds; a row its engine died with goes out again once this has passed. */
    private final Duration lease;
    private final String owner = "careline-" + UUID.randomUUID();
    /** How long a sender thread with nothing to send is kept. */
    private static final Duration SENDER_IDLE = Duration.ofSeconds(30);
    private final ExecutorService senders;
    private final int parallelism;
    /** Runs the rounds {@link #nudge()} asks for, one at a time. */
    private final ExecutorService nudger = Executors.newSingleThreadExecutor(daemon("careline-dispatch-nudge"));
    private final AtomicBoolean nudgePending = new AtomicBoolean();
    private final ReentrantLock round = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();
    private final SendingPause pause;
    private final SendRecorder recorder;
    private final DocumentUpload documents;
    private final SiteDirectory sites;
    private final ConsentStore consents;

    public Dispatcher(Database db, Outbox outbox, SiteDirectory sites, TemplateCatalog templates,
                      CloudApiClient client, SendRateCap rateCap, Clock clock, SendingPause pause,
                      SendFailures failures, int parallelism, Duration lease, PortalLink portalLinks) {
        this.consents = new ConsentStore(new AuditLog(), db.cipher());
        this.db = db;
        this.outbox = outbox;
        this.renderer = new MessageRenderer(sites, templates, portalLinks);
        this.sites = sites;
        this.client = client;
        this.rateCap = rateCap;
        this.clock = clock;
        this.pause = pause;
        this.recorder = new SendRecorder(db, outbox, pause, failures, clock);
        this.documents = new DocumentUpload(db, client, pause, recorder, clock);
        this.parallelism = parallelism;
        this.lease = lease;
        // Up to `parallelism` senders under load; an idle engine gives them back after SENDER_IDLE (a fixed pool
        // would keep every thread a burst once needed, for good).
        ThreadPoolExecutor pool = new ThreadPoolExecutor(parallelism, parallelism, SENDER_IDLE.toMillis(),
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemon("careline-sender"));
        pool.allowCoreThreadTimeOut(true);
        this.senders = pool;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One dispatch round; returns how many messages were handled. Claims keep pace with the senders: up to twice
     * {@code parallelism} rows are claimed and under way at once, and more are claimed as they finish, so a long
     * queue flows at the rate cap without pauses between batches. Rounds never overlap: a call while one runs (the
     * timer's, or a {@link #nudge()}) makes the running round look once more instead.
     */
    public int dispatchDue() throws Exception {
        if (!round.tryLock()) {
            again.set(true);
            return 0;
        }
        try {
            int handled = 0;
            do {
                again.set(false);
                handled += flow();
            } while (again.get() && !pause.paused());
            return handled;
        } finally {
            round.unlock();
        }
    }

    private int flow() throws Exception {
        int capacity = parallelism * 2;
        ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(senders);
        int outstanding = 0;
        int handled = 0;
        try {
            while (!pause.paused()) {
                int room = capacity - outstanding;
                if (room < capacity / 2 && outstanding > 0) {
                    // Claim in chunks, not one row per finished send: each claim is a few queries.
                    done.take().get();
                    outstanding--;
                    continue;
                }
                int want = Math.min(BATCH, room);
                List<Long> claimed = outbox.claimDue(db.dataSource(), owner, clock.instant(), lease, want);
                for (long id : claimed) {
                    done.submit(() -> sendOne(id), null);
                }
                outstanding += claimed.size();
                handled += claimed.size();
                if (claimed.size() < want) {
                    if (outstanding == 0) {
                        break; // nothing more is due
                    }
                    // Nothing more due just now: let what is under way finish, then look again — at once if a
                    // nudge says something new was committed (a booking's confirmation need not wait for the
                    // sends in flight, a whole Cloud API round trip).
                    while (outstanding > 0 && !again.getAndSet(false)) {
                        Future<Void> f = done.poll(NUDGE_CHECK_MS, TimeUnit.MILLISECONDS);
                        if (f != null) {
                            f.get();
                            outstanding--;
                        }
                    }
                }
            }
        } finally {
            while (outstanding > 0) {
                done.take();
                outstanding--;
            }
        }
        return handled;
    }

    /**
     * Something was just committed that may be due now (a booking's confirmation): start a round at once rather
     * than at the timer's next tick. Cheap and safe to call often; calls while one is pending are merged.
     */
    public void nudge() {
        // Told to the running round directly: that round may be the nudger thread's own, waiting for its sends in
        // flight, and a nudge queued behind it would only be seen once they all came back.
        again.set(true);
        if (nudgePending.compareAndSet(false, true)) {
            try {
                nudger.execute(() -> {
                    nudgePending.set(false);
                    try {
                        dispatchDue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        LOG.warn("dispatch round after a nudge failed: {}", e.getClass().getSimpleName());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                nudgePending.set(false); // shutting down
            }
        }
    }

    private void sendOne(long id) {
        try {
            DueMessage due = db.inTransaction(c -> outbox.load(c, id));
            if (pause.paused()) {
                recorder.release(id);
                return;
            }
            SendDecision decision = SendDecision.of(due, clock.instant());
            if (!decision.sends()) {
                recorder.skipped(due, decision.reasonText());
                return;
            }
            ConsentGate.Verdict consent = ConsentGate.decide(sites.site(due.siteCode()).consent(), due.consent(),
                    due.kind());
            if (consent instanceof ConsentGate.Refused refused) {
                recorder.skipped(due, refused.reason().text(null));
                return;
            }
            if (consent instanceof ConsentGate.Held) {
                hold(due);
                return;
            }
            TemplateRenderer.DocumentHeader document = null;
            if (due.kind() == MessageKind.DOCUMENT_ATTACHED) {
                document = documents.header(due);
                if (document == null) {
                    return; // dead-lettered, retried or paused: recorded there
                }
            }
            ObjectNode message;
            try {
                message = renderer.render(due, document);
            } catch (IllegalArgumentException e) {
                // Data no send can fix (e.g. a stored number that is not E.164): dead-letter it, don't loop.
                recorder.deadLetter(due, "could not render: " + e.getMessage(), "could not render");
                return;
            }
            rateCap.acquire();
            CloudApiOutcome outcome;
            try {
                if (pause.paused()) {
                    // Paused while this one waited for its slot: it waits for the resume like the rest.
                    recorder.release(id);
                    return;
                }
                outcome = client.send(message);
            } finally {
                rateCap.sent();
            }
            recorder.record(due, outcome);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A bug or a bad row must not stop the queue: the row stays claimed and is retried after its lease.
            // The class only: a driver's message can quote row values, which may be PHI.
            LOG.error("outbox={} could not be sent: {}", id, e.getClass().getSimpleName());
        }
    }

    /**
     * An opt-in site's message to a patient who has not said yes: it waits, due again at its cutoff (the
     * appointment's start, where {@link SendDecision} skips it as started) or at the next look, whichever is first —
     * a YES releases it at once. The first message held asks the patient with the opt-in template.
     */
    private void hold(DueMessage due) {
        java.time.Instant now = clock.instant();
        java.time.Instant until = now.plus(HOLD_LOOK_AGAIN);
        if (due.context() instanceof org.careline.model.MessageContext.Appointment a && a.start() != null
                && a.start().isBefore(until)) {
            until = a.start();
        }
        java.time.Instant cutoff = until;
        boolean asked = db.inTransaction(c -> {
            outbox.hold(c, due.id(), cutoff, now);
            Long patient = due.consent().patientId();
            if (patient == null || !consents.markRequested(c, patient, now)) {
                return false;
            }
            Long notice = due.context() instanceof org.careline.model.MessageContext.Notice n
                    ? n.resultNoticeId() : null;
            long optIn = outbox.addOptIn(c, due.context().appointmentId(), notice, now);
            LOG.info("outbox={} held for consent; opt-in template queued outbox={}", due.id(), optIn);
            return true;
        });
        if (!asked) {
            LOG.info("outbox={} held for consent", due.id());
        } else {
            nudge();
        }
    }

    /**
     * Lets sends already under way finish and record their outcome before the database closes: a send cut off
     * between Meta's answer and its record would stay claimed and go out again after its lease — a duplicate.
     */
    @Override
    public void close() {
        nudger.shutdown();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(30, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
