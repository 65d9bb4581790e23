package org.careline.schedule;

import org.careline.model.AppointmentStatus;
import org.careline.model.ReminderPolicy;
import org.careline.model.AppointmentEvent;
import org.careline.model.AppointmentAction;
import org.careline.model.Site;
import org.careline.config.SiteDirectory;
import org.careline.store.AppointmentStore;
import org.careline.store.AppointmentStore.StoredAppointment;
import org.careline.store.Outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one appointment event inside the caller's transaction: stores the appointment's new state and history,
 * and keeps its outbox in step (plan on booking, move on reschedule, stop on cancel). Feed-neutral: HL7 SIU today,
 * FHIR Appointment later.
 */
public final class AppointmentScheduler {

    /** What applying the event did, for the log (ids only) and tests. */
    public record Result(long appointmentId, boolean reachable, int messagesQueued, int messagesCancelled,
                         List<Queued> queued) {
    }

    /** One message this event queued: its outbox row, and when and why it is due (for the ingest log). */
    public record Queued(long outboxId, Planned planned) {
    }

    private final AppointmentStore appointments;
    private final Outbox outbox;
    private final SiteDirectory sites;

    public AppointmentScheduler(AppointmentStore appointments, Outbox outbox, SiteDirectory sites) {
        this.appointments = appointments;
        this.outbox = outbox;
        this.sites = sites;
    }

    public Result apply(Connection c, AppointmentEvent e, Long inboundId, Instant now) throws SQLException {
        long patientId = appointments.upsertPatient(c, e, now);
        boolean reachable = appointments.reachable(c, patientId);
        Optional<StoredAppointment> stored = appointments.find(c, e.source(), e.externalId());
        Site site = sites.site(e.siteCode());
        ReminderPolicy policy = site.policyFor(e.serviceCode() != null ? e.serviceCode()
                : stored.map(StoredAppointment::serviceCode).orElse(null));

        List<Planned> plan = new ArrayList<>();
        int cancelled = 0;
        AppointmentStatus status;
        long id;
        switch (e.action()) {
            case BOOK, RESCHEDULE, MODIFY -> {
                status = AppointmentStatus.BOOKED;
                if (stored.isEmpty()) {
                    id = appointments.insert(c, e, patientId, status, reachable, now);
                    plan = e.action() == AppointmentAction.RESCHEDULE
                            ? ReminderPlanner.scheduleReschedule(now, e.start(), site.zone(), policy, site.code())
                            : ReminderPlanner.scheduleBooking(now, e.start(), site.zone(), policy, site.code());
                } else {
                    StoredAppointment s = stored.get();
                    id = s.id();
                    appointments.update(c, id, e, patientId, status, reachable, now);
                    boolean wasLive = s.status() == AppointmentStatus.BOOKED;
                    boolean moved = e.start() != null && !e.start().equals(s.start());
                    if (!wasLive) {
                        // Re-booked after a cancellation: a fresh set of messages.
                        cancelled = outbox.cancelPending(c, id, "re-booked", now);
                        plan = ReminderPlanner.scheduleBooking(now, e.start(), site.zone(), policy, site.code());
                    } else if (moved) {
                        // A new time (S13, or an S14/S12 that carries one): pending reminders move, patient told.
                        cancelled = outbox.cancelPending(c, id, "rescheduled", now);
                        plan = ReminderPlanner.scheduleReschedule(now, e.start(), site.zone(), policy, site.code());
                    }
                    // Same time: details changed only; pending messages render the new details when they go out.
                }
            }
            case CANCEL, DELETE, NO_SHOW -> {
                status = switch (e.action()) {
                    case CANCEL -> AppointmentStatus.CANCELLED;
                    case DELETE -> AppointmentStatus.DELETED;
                    default -> AppointmentStatus.NO_SHOW;
                };
                if (stored.isEmpty()) {
                    id = appointments.insert(c, e, patientId, status, reachable, now);
                } else {
                    id = stored.get().id();
                    boolean wasLive = stored.get().status() == AppointmentStatus.BOOKED;
                    appointments.update(c, id, e, patientId, status, reachable, now);
                    cancelled = outbox.cancelPending(c, id, e.action().name().toLowerCase(java.util.Locale.ROOT), now);
                    Instant start = e.start() != null ? e.start() : stored.get().start();
                    if (e.action() == AppointmentAction.CANCEL && wasLive && start != null) {
                        ReminderPlanner.scheduleCancellation(now, start, site.zone(), policy, site.code()).ifPresent(plan::add);
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled action " + e.action());
        }
        appointments.recordEvent(c, id, inboundId, e.eventCode(), e.action(), e.start(), now);
        if (!reachable) {
            plan = List.of(); // recorded as unreachable; nothing to send
        }
        List<Long> ids = outbox.add(c, id, plan.stream().map(Planned::message).toList(), now);
        List<Queued> queued = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            queued.add(new Queued(ids.get(i), plan.get(i)));
        }
        return new Result(id, reachable, plan.size(), cancelled, List.copyOf(queued));
    }

    /**
     * The feed says the appointment no longer exists (a FHIR resource deleted on the server): it is marked DELETED
     * and its pending messages stop. Empty when Careline never knew it.
     */
    public Optional<Result> withdraw(Connection c, String source, String externalId, String eventCode, Instant now)
            throws SQLException {
        Optional<StoredAppointment> stored = appointments.find(c, source, externalId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        long id = stored.get().id();
        int cancelled = 0;
        if (stored.get().status() != AppointmentStatus.DELETED) {
            appointments.setStatus(c, id, AppointmentStatus.DELETED, now);
            cancelled = outbox.cancelPending(c, id, "deleted", now);
            appointments.recordEvent(c, id, null, eventCode, AppointmentAction.DELETE, stored.get().start(), now);
        }
        return Optional.of(new Result(id, stored.get().reachable(), 0, cancelled, List.of()));
    }
}
