package org.careline.ingest.fhir;

import org.careline.model.LogSafe;
import ca.uhn.fhir.context.FhirContext;
import org.careline.fhir.FhirClient;
import org.careline.fhir.FhirRejectedException;
import org.careline.fhir.FhirUnavailableException;
import org.careline.results.ResultNotices;
import org.careline.schedule.AppointmentScheduler;
import org.careline.schedule.DueLine;
import org.careline.consent.ConsentRecorder;
import org.careline.consent.ConsentWiring;
import org.careline.model.ConsentValue;
import org.careline.store.AlertLog;
import org.careline.store.ConsentStore;
import org.careline.store.AppointmentStore;
import org.careline.store.Database;
import org.careline.store.FhirSyncState;
import org.careline.store.FhirWorkQueue;
import org.careline.store.RetryPolicy;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Works off fhir_work (called by the fhir-sync route's timer): re-reads each notified resource and what it
 * references from the FHIR server and acts on its current state, exactly as the HL7 handlers do — an Appointment
 * through {@link AppointmentScheduler}, a DiagnosticReport through {@link ResultNotices}. A version already acted on
 * is skipped, so duplicates and replays change nothing. A catch-up asks the subscription for the missed events
 * ($events) where the server supports it, else searches by _lastUpdated. Network calls happen outside any
 * transaction; each resource's effect and its applied version commit together. Logs carry ids only.
 */
public final class FhirSync {

    private static final Logger LOG = LoggerFactory.getLogger(FhirSync.class);
    public static final String SOURCE = "FHIR";
    public static final String ALERT_REJECTED = "fhir-read-rejected";
    /** Retried until done: a notified change must not be lost, and a refusal needs a person (alerted), not a drop. */
    static final RetryPolicy RETRIES = RetryPolicy.untilDone(Duration.ofSeconds(5), Duration.ofMinutes(5));
    private static final Duration LEASE = Duration.ofMinutes(5);
    /** How far back the very first catch-up looks, before any search has been made. */
    static final Duration FIRST_CATCH_UP = Duration.ofHours(24);
    private static final int BATCH = 20;
    private static final int MAX_PER_ROUND = 200;
    private static final int MAX_PRACTITIONERS = 3;

    private final Database db;
    private final FhirWorkQueue work;
    private final FhirSyncState state;
    private final FhirClient client;
    private final NotificationParser parser;
    private final FhirAppointmentMapper appointmentMapper;
    private final FhirReportMapper reportMapper;
    private final AppointmentScheduler scheduler;
    private final AppointmentStore appointments;
    private final ResultNotices results;
    private final AlertLog alerts;
    private final Clock clock;
    private final Runnable dueNow;
    private final FhirConsentMapper consentMapper;
    private final ConsentWiring.Consents consents;
    private final Random random = new Random();

    public FhirSync(Database db, FhirWorkQueue work, FhirSyncState state, FhirClient client, NotificationParser parser,
                    FhirAppointmentMapper appointmentMapper, FhirReportMapper reportMapper,
                    AppointmentScheduler scheduler, AppointmentStore appointments, ResultNotices results,
                    AlertLog alerts, Clock clock, Runnable dueNow, FhirConsentMapper consentMapper,
                    ConsentWiring.Consents consents) {
        this.consentMapper = consentMapper;
        this.consents = consents;
        this.db = db;
        this.work = work;
        this.state = state;
        this.client = client;
        this.parser = parser;
        this.appointmentMapper = appointmentMapper;
        this.reportMapper = reportMapper;
        this.scheduler = scheduler;
        this.appointments = appointments;
        this.results = results;
        this.alerts = alerts;
        this.clock = clock;
        this.dueNow = dueNow;
    }

    /** One round; returns how many pieces of work were done. Stops early when the server is unreachable. */
    public int workDue() {
        int done = 0;
        while (done < MAX_PER_ROUND) {
            List<Long> due = db.inTransaction(c -> work.due(c, clock.instant(), BATCH));
            if (due.isEmpty()) {
                break;
            }
            boolean claimedAny = false;
            for (long id : due) {
                FhirWorkQueue.Work w;
                try {
                    w = db.inTransaction(c -> work.claim(c, id, clock.instant(), LEASE));
                } catch (RuntimeException e) {
                    w = null; // another engine holds the row
                }
                if (w == null) {
                    continue;
                }
                claimedAny = true;
                done++;
                if (!doOne(w)) {
                    return done; // the server is not answering: the next round tries again
                }
            }
            if (!claimedAny) {
                break;
            }
        }
        return done;
    }

    /** Does one piece of work and records the outcome; false when the server could not be reached. */
    private boolean doOne(FhirWorkQueue.Work w) {
        try {
            if (w.catchUp()) {
                catchUp(w);
            } else if (w.focus().startsWith("Appointment/")) {
                syncAppointment(w.focus());
            } else if (w.focus().startsWith("DiagnosticReport/")) {
                syncReport(w.focus());
            } else if (w.focus().startsWith("Consent/")) {
                syncConsent(w.focus());
            }
            db.inTransaction(c -> {
                work.done(c, w.id(), clock.instant());
                return null;
            });
            return true;
        } catch (FhirUnavailableException e) {
            retry(w, e.getMessage(), false);
            return false;
        } catch (FhirRejectedException e) {
            // 401/403 (credentials), 400 (a search the server does not take): a person must look; keep the work.
            retry(w, e.getMessage(), true);
            return true;
        }
    }

    private void retry(FhirWorkQueue.Work w, String reason, boolean rejected) {
        int attempts = w.attempts() + 1;
        Instant now = clock.instant();
        Instant at = now.plus(RETRIES.delay(attempts, random));
        db.inTransaction(c -> {
            work.retry(c, w.id(), attempts, at, reason, now);
            if (rejected && attempts == 3) {
                alerts.raise(c, new org.careline.model.AlertRaise(ALERT_REJECTED,
                        org.careline.model.AlertSeverity.WARNING, null, "fhir_work:" + w.id(), null,
                        "fhir_work=" + w.id() + " " + reason), now);
            }
            return null;
        });
        if (rejected) {
            LOG.error("fhir_work={} {} refused by the FHIR server ({}), attempt {}; retry at {}", w.id(),
                    LogSafe.of(what(w)), LogSafe.of(reason), attempts, at);
        } else {
            LOG.warn("fhir_work={} {} not done: {}, attempt {}; retry at {}", w.id(), LogSafe.of(what(w)),
                    LogSafe.of(reason), attempts, at);
        }
    }

    private static String what(FhirWorkQueue.Work w) {
        return w.catchUp() ? "catch-up" : w.focus();
    }

    // ---- Appointment ----

    private void syncAppointment(String ref) throws FhirUnavailableException, FhirRejectedException {
        String id = ref.substring(ref.indexOf('/') + 1);
        Optional<IBaseResource> read = client.read(ref);
        if (read.isEmpty()) {
            // Deleted on the server (404/410): its reminders stop.
            db.inTransaction(c -> {
                Instant now = clock.instant();
                state.lock(c, "Appointment", id, now);
                Optional<AppointmentScheduler.Result> r = scheduler.withdraw(c, SOURCE, id, "FHIR:deleted", now);
                state.applied(c, "Appointment", id, "deleted", null, "deleted", now);
                LOG.info("FHIR {} gone from the server; appointment={} cancelled={}", LogSafe.of(ref),
                        r.map(AppointmentScheduler.Result::appointmentId).orElse(null),
                        r.map(AppointmentScheduler.Result::messagesCancelled).orElse(0));
                return null;
            });
            return;
        }
        Appointment a = (Appointment) read.get();
        String version = versionOf(a);
        if (alreadyApplied("Appointment", id, version)) {
            LOG.debug("FHIR {} version {} already applied", LogSafe.of(ref), LogSafe.of(version));
            return;
        }
        Patient patient = null;
        Location location = null;
        List<Practitioner> practitioners = new ArrayList<>();
        for (Appointment.AppointmentParticipantComponent p : a.getParticipant()) {
            String actor = referenceOf(p.getActor());
            if (actor == null) {
                continue;
            }
            if (actor.startsWith("Patient/") && patient == null) {
                patient = (Patient) client.read(actor).orElse(null);
            } else if (actor.startsWith("Location/") && location == null) {
                location = (Location) client.read(actor).orElse(null);
            } else if (actor.startsWith("Practitioner/") && practitioners.size() < MAX_PRACTITIONERS) {
                client.read(actor).ifPresent(r -> practitioners.add((Practitioner) r));
            }
        }
        Optional<FhirAppointmentMapper.Mapped> mapped;
        try {
            mapped = appointmentMapper.map(a, patient, location, practitioners);
        } catch (UnmappableResourceException e) {
            LOG.warn("FHIR {} version {} cannot be messaged about: {}", LogSafe.of(ref), LogSafe.of(version),
                    LogSafe.of(e.getMessage()));
            mapped = Optional.empty();
        }
        Optional<FhirAppointmentMapper.Mapped> mappedFinal = mapped;
        String status = a.hasStatus() ? a.getStatus().toCode() : null;
        boolean[] queued = {false};
        db.inTransaction(c -> {
            Instant now = clock.instant();
            state.lock(c, "Appointment", id, now);
            if (state.appliedVersion(c, "Appointment", id).filter(v -> v.equals(version)).isPresent()) {
                return null; // another engine applied it meanwhile
            }
            if (mappedFinal.isPresent()) {
                AppointmentScheduler.Result r = scheduler.apply(c, mappedFinal.get().event(), null, now);
                queued[0] = r.messagesQueued() > 0;
                FhirAppointmentMapper.Pin pin = mappedFinal.get().pin();
                appointments.setPin(c, r.appointmentId(), pin == null ? null : pin.latitude(),
                        pin == null ? null : pin.longitude(), pin == null ? null : pin.name(),
                        pin == null ? null : pin.address());
                LOG.info("FHIR {} version {} status {}: appointment={} reachable={} queued={} cancelled={}",
                        LogSafe.of(ref), LogSafe.of(version), LogSafe.of(status), r.appointmentId(), r.reachable(),
                        r.messagesQueued(), r.messagesCancelled());
                // The same due line as an SIU's: when each queued message goes out and why (quiet hours...).
                for (AppointmentScheduler.Queued q : r.queued()) {
                    LOG.info("{}", DueLine.of(q.outboxId(), r.appointmentId(), q.planned()));
                }
            } else {
                LOG.info("FHIR {} version {} status {}: nothing to do", LogSafe.of(ref), LogSafe.of(version),
                        LogSafe.of(status));
            }
            state.applied(c, "Appointment", id, version, lastUpdatedOf(a), status, now);
            return null;
        });
        if (queued[0]) {
            dueNow.run(); // a confirmation is due now: the dispatcher need not wait for its timer
        }
    }

    // ---- DiagnosticReport ----

    private void syncReport(String ref) throws FhirUnavailableException, FhirRejectedException {
        String id = ref.substring(ref.indexOf('/') + 1);
        Optional<IBaseResource> read = client.read(ref);
        if (read.isEmpty()) {
            LOG.info("FHIR {} gone from the server; nothing to announce", LogSafe.of(ref));
            return;
        }
        DiagnosticReport r = (DiagnosticReport) read.get();
        String version = versionOf(r);
        if (alreadyApplied("DiagnosticReport", id, version)) {
            LOG.debug("FHIR {} version {} already applied", LogSafe.of(ref), LogSafe.of(version));
            return;
        }
        String subject = referenceOf(r.getSubject());
        Patient patient = subject != null && subject.startsWith("Patient/")
                ? (Patient) client.read(subject).orElse(null) : null;
        Optional<FhirReportMapper.Mapped> mapped;
        try {
            mapped = reportMapper.map(r, patient);
        } catch (UnmappableResourceException e) {
            LOG.warn("FHIR {} version {} cannot be messaged about: {}", LogSafe.of(ref), LogSafe.of(version),
                    LogSafe.of(e.getMessage()));
            mapped = Optional.empty();
        }
        Optional<FhirReportMapper.Mapped> mappedFinal = mapped;
        String status = r.hasStatus() ? r.getStatus().toCode() : null;
        db.inTransaction(c -> {
            Instant now = clock.instant();
            state.lock(c, "DiagnosticReport", id, now);
            if (state.appliedVersion(c, "DiagnosticReport", id).filter(v -> v.equals(version)).isPresent()) {
                return null;
            }
            if (mappedFinal.isPresent()) {
                ResultNotices.Result res = results.apply(c, SOURCE, mappedFinal.get().patient(),
                        List.of(mappedFinal.get().order()), false, now);
                LOG.info("FHIR {} version {} status {}: patient={} reachable={} queued={} folded={} withdrawn={} "
                                + "held={}", LogSafe.of(ref), LogSafe.of(version), LogSafe.of(status),
                        res.patientId(), res.reachable(), res.queued(),
                        res.folded(), res.withdrawn(), res.held());
            } else {
                LOG.info("FHIR {} version {} status {}: nothing to do", LogSafe.of(ref), LogSafe.of(version),
                        LogSafe.of(status));
            }
            state.applied(c, "DiagnosticReport", id, version, lastUpdatedOf(r), status, now);
            return null;
        });
    }

    // ---- Consent ----

    private void syncConsent(String ref) throws FhirUnavailableException, FhirRejectedException {
        String id = ref.substring(ref.indexOf('/') + 1);
        Optional<IBaseResource> read = client.read(ref);
        if (read.isEmpty()) {
            // Deleted on the server: what it recorded stays in the history; a later Consent says what holds now.
            LOG.info("FHIR {} gone from the server; consent left as recorded", LogSafe.of(ref));
            return;
        }
        Consent consent = (Consent) read.get();
        String version = versionOf(consent);
        if (alreadyApplied("Consent", id, version)) {
            LOG.debug("FHIR {} version {} already applied", LogSafe.of(ref), LogSafe.of(version));
            return;
        }
        FhirConsentMapper.Reading reading;
        try {
            reading = consentMapper.read(consent);
        } catch (UnmappableResourceException e) {
            LOG.warn("FHIR {} version {} cannot be read: {}; nothing recorded", LogSafe.of(ref), LogSafe.of(version),
                    LogSafe.of(e.getMessage()));
            reading = new FhirConsentMapper.NoEffect("unreadable");
        }
        FhirConsentMapper.Reading r = reading;
        String status = consent.hasStatus() ? consent.getStatus().toCode() : null;
        String source = FhirConsentMapper.source(id);
        int[] released = {0};
        db.inTransaction(c -> {
            Instant now = clock.instant();
            state.lock(c, "Consent", id, now);
            if (state.appliedVersion(c, "Consent", id).filter(v -> v.equals(version)).isPresent()) {
                return null;
            }
            Long patient = null;
            ConsentRecorder.Outcome o = null;
            if (r instanceof FhirConsentMapper.Change ch) {
                // A Consent may come before the patient's first appointment: keep it on a row holding the key only
                // (no name or number), which the appointment fills in later.
                patient = appointments.upsertPatient(c, ch.patientKey(), null, null, null, null, ch.patientId(),
                        null, now);
                o = consents.recorder().record(c, patient, ch.value(), source, now);
            } else if (r instanceof FhirConsentMapper.Annulled a) {
                patient = consents.store().patientByKey(c, a.patientKey()).orElse(null);
                if (patient != null && grantedBy(c, patient, source)) {
                    o = consents.recorder().record(c, patient, ConsentValue.WITHDRAWN, source, now);
                }
            } else if (r instanceof FhirConsentMapper.NoEffect n) {
                LOG.info("FHIR {} version {} status {}: no consent change ({})", LogSafe.of(ref),
                        LogSafe.of(version), LogSafe.of(status), n.why());
            }
            if (o != null) {
                released[0] = o.released();
                LOG.info("FHIR {} version {} status {}: patient={} changed={} released={} cancelled={}",
                        LogSafe.of(ref), LogSafe.of(version), LogSafe.of(status), patient, o.changed(), o.released(),
                        o.cancelled());
            }
            state.applied(c, "Consent", id, version, lastUpdatedOf(consent), status, now);
            return null;
        });
        if (released[0] > 0) {
            dueNow.run(); // held messages are due now
        }
    }

    /** Whether the patient's consent stands at GRANTED and this source was the last to set their consent. */
    private boolean grantedBy(java.sql.Connection c, long patient, String source) throws java.sql.SQLException {
        if (!consents.store().current(c, patient).map(p -> p.granted()).orElse(false)) {
            return false;
        }
        List<ConsentStore.Change> history = consents.store().history(c, patient);
        for (int i = history.size() - 1; i >= 0; i--) {
            ConsentStore.Change ch = history.get(i);
            if (ch.value().isConsent()) {
                return source.equals(ch.source());
            }
        }
        return false;
    }

    // ---- catch-up ----

    private void catchUp(FhirWorkQueue.Work w) throws FhirUnavailableException, FhirRejectedException {
        if (w.subscription() != null && w.sinceEvent() != null && eventsSince(w)) {
            return;
        }
        for (String type : FhirIntake.TYPES.stream().sorted().toList()) {
            if (!type.equals("Consent")) {
                searchChanged(type);
                continue;
            }
            try {
                searchChanged(type);
            } catch (FhirRejectedException e) {
                // Many servers keep Consents apart (or let no client search them): appointments and results must
                // not wait for that. Consents still arrive by notification.
                LOG.info("FHIR catch-up: Consent search refused ({}); skipped", LogSafe.of(e.getMessage()));
            }
        }
    }

    /** The missed events from the subscription itself ($events); false when the server cannot say. */
    private boolean eventsSince(FhirWorkQueue.Work w) throws FhirUnavailableException {
        Bundle events;
        try {
            events = client.getBundle(w.subscription() + "/$events?eventsSinceNumber=" + (w.sinceEvent() + 1));
        } catch (FhirRejectedException e) {
            LOG.info("fhir_work={} {} has no $events ({}); searching by _lastUpdated instead", w.id(),
                    LogSafe.of(w.subscription()), LogSafe.of(e.getMessage()));
            return false;
        }
        FhirNotification n;
        try {
            // The $events answer is a notification bundle like a pushed one: read it the same way.
            byte[] json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(events)
                    .getBytes(StandardCharsets.UTF_8);
            n = parser.parse("POST", "", "application/fhir+json", json);
        } catch (FhirInputException e) {
            LOG.info("fhir_work={} $events answer not understood ({}); searching by _lastUpdated instead", w.id(),
                    LogSafe.of(e.getMessage()));
            return false;
        }
        int queued = 0;
        boolean unknownFocus = false;
        for (FhirNotification.Event e : n.events()) {
            if (e.focus() == null) {
                unknownFocus = true;
                continue;
            }
            String type = e.focus().substring(0, e.focus().indexOf('/'));
            if (FhirIntake.TYPES.contains(type)) {
                String key = e.eventNumber() == null ? null : w.subscription() + "#" + e.eventNumber();
                boolean added = db.inTransaction(c -> work.addRead(c, e.focus(), key, w.subscription(),
                        clock.instant()));
                queued += added ? 1 : 0;
            }
        }
        // The numbers the server itself returned are the confirmed ones: they, and only they, move the mark.
        long confirmed = n.events().stream().filter(e -> e.eventNumber() != null)
                .mapToLong(FhirNotification.Event::eventNumber).max().orElse(Long.MIN_VALUE);
        if (confirmed != Long.MIN_VALUE) {
            db.inTransaction(c -> {
                state.sawEvent(c, w.subscription(), confirmed, clock.instant());
                return null;
            });
        }
        LOG.info("fhir_work={} catch-up of {} from event {}: {} events, {} queued", w.id(),
                LogSafe.of(w.subscription()),
                w.sinceEvent() + 1, n.events().size(), queued);
        return !unknownFocus; // events without a focus tell us nothing: search as well
    }

    /** Queues a re-read of every resource of {@code type} changed since the last search. */
    private void searchChanged(String type) throws FhirUnavailableException, FhirRejectedException {
        Instant now = clock.instant();
        Instant since = db.inTransaction(c -> state.syncedUntil(c, type)).orElse(now.minus(FIRST_CATCH_UP));
        List<Resource> changed = client.search(type + "?_lastUpdated=ge"
                + DateTimeFormatter.ISO_INSTANT.format(since) + "&_sort=_lastUpdated&_count=100");
        Instant until = since;
        int queued = 0;
        for (Resource r : changed) {
            if (!type.equals(r.fhirType()) || !r.hasIdElement()) {
                continue;
            }
            String focus = type + "/" + r.getIdElement().getIdPart();
            String version = versionOf(r);
            boolean added = db.inTransaction(c -> work.addRead(c, focus,
                    version == null ? null : focus + "|" + version, null, clock.instant()));
            queued += added ? 1 : 0;
            Instant updated = lastUpdatedOf(r);
            if (updated != null && updated.isAfter(until)) {
                until = updated;
            }
        }
        Instant syncedUntil = until;
        db.inTransaction(c -> {
            state.setSyncedUntil(c, type, syncedUntil, clock.instant());
            return null;
        });
        LOG.info("FHIR catch-up: {} {} changed since {}, {} queued", changed.size(), type, since, queued);
    }

    private boolean alreadyApplied(String type, String id, String version) {
        return version != null && db.inTransaction(c -> state.appliedVersion(c, type, id))
                .filter(v -> v.equals(version)).isPresent();
    }

    private static String versionOf(Resource r) {
        if (r.hasMeta() && r.getMeta().hasVersionId()) {
            return r.getMeta().getVersionId();
        }
        return r.getIdElement().hasVersionIdPart() ? r.getIdElement().getVersionIdPart() : null;
    }

    private static Instant lastUpdatedOf(Resource r) {
        return r.hasMeta() && r.getMeta().hasLastUpdated() ? r.getMeta().getLastUpdated().toInstant() : null;
    }

    /** "Type/id" of a reference (relative, absolute or versioned), or null when it has none. */
    static String referenceOf(Reference ref) {
        if (ref == null || !ref.hasReference()) {
            return null;
        }
        org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(ref.getReference());
        if (!id.hasResourceType() || !id.hasIdPart()) {
            return null;
        }
        return id.getResourceType() + "/" + id.getIdPart();
    }
}
