package org.careline.schedule;

import org.careline.model.ReminderPolicy;
import org.careline.model.PlannedMessage;
import org.careline.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which automatic messages an appointment gets and when. Pure: the caller passes {@code now}.
 *
 * <p>Reminder offsets are exact elapsed durations ({@code start - offset} on the time line), not wall-clock
 * arithmetic: across a DST change a "48h" reminder lands an hour off the appointment's local time of day.
 * Quiet hours, in contrast, are wall-clock times in the site's zone and are resolved with
 * {@link ZonedDateTime#of}, so 08:00 is 08:00 local on the day clocks change, and a boundary that falls in a
 * DST gap is shifted forward by the gap's length.
 */
public final class ReminderPlanner {

    static final String CONFIRMATION_LABEL = MessageKind.CONFIRMATION.key();
    static final String RESCHEDULED_LABEL = MessageKind.RESCHEDULED.key();
    static final String CANCELLED_LABEL = MessageKind.CANCELLED.key();

    private static final Duration DAY = Duration.ofDays(1);

    private ReminderPlanner() {
    }

    /** Confirmation (if the policy wants one) plus reminders for a new booking, sorted by due time. */
    public static List<PlannedMessage> planBooking(Instant now, Instant start, ZoneId zone, ReminderPolicy policy) {
        return messages(scheduleBooking(now, start, zone, policy, null));
    }

    /** A rescheduled notice plus fresh reminders for the new start; no confirmation. */
    public static List<PlannedMessage> planReschedule(Instant now, Instant newStart, ZoneId zone,
                                                      ReminderPolicy policy) {
        return messages(scheduleReschedule(now, newStart, zone, policy, null));
    }

    /** A cancelled notice, unless the appointment is already past or quiet hours leave no time to send it. */
    public static Optional<PlannedMessage> planCancellation(Instant now, Instant start, ZoneId zone,
                                                            ReminderPolicy policy) {
        return scheduleCancellation(now, start, zone, policy, null).map(Planned::message);
    }

    /** As {@link #planBooking}, each message with the reason it is due when it is; {@code site} names the site. */
    public static List<Planned> scheduleBooking(Instant now, Instant start, ZoneId zone, ReminderPolicy policy,
                                                String site) {
        if (!start.isAfter(now)) {
            return List.of();
        }
        List<Planned> out = new ArrayList<>();
        if (policy.confirmation()) {
            notice(now, start, zone, policy, site, MessageKind.CONFIRMATION, CONFIRMATION_LABEL).ifPresent(out::add);
        }
        out.addAll(reminders(now, start, zone, policy, site));
        return sorted(out);
    }

    /** As {@link #planReschedule}, with reasons. */
    public static List<Planned> scheduleReschedule(Instant now, Instant newStart, ZoneId zone, ReminderPolicy policy,
                                                   String site) {
        if (!newStart.isAfter(now)) {
            return List.of();
        }
        List<Planned> out = new ArrayList<>();
        notice(now, newStart, zone, policy, site, MessageKind.RESCHEDULED, RESCHEDULED_LABEL).ifPresent(out::add);
        out.addAll(reminders(now, newStart, zone, policy, site));
        return sorted(out);
    }

    /** As {@link #planCancellation}, with its reason. */
    public static Optional<Planned> scheduleCancellation(Instant now, Instant start, ZoneId zone,
                                                         ReminderPolicy policy, String site) {
        if (!start.isAfter(now)) {
            return Optional.empty();
        }
        return notice(now, start, zone, policy, site, MessageKind.CANCELLED, CANCELLED_LABEL);
    }

    /** A one-off notice: due now, unless quiet hours move it. */
    private static Optional<Planned> notice(Instant now, Instant start, ZoneId zone, ReminderPolicy policy,
                                            String site, MessageKind kind, String label) {
        return shift(now, start, now, zone, policy, site, new DueReason.Now())
                .map(s -> new Planned(new PlannedMessage(kind, label, s.at()), s.reason()));
    }

    /**
     * Moves {@code due} out of quiet hours, or returns empty when the message can no longer usefully go out.
     *
     * <p>Inside a quiet period the message goes at its end, if that still leaves {@code minLeadAfterQuiet}
     * before the start; otherwise one minute before the period began (a late-evening reminder beats one
     * that arrives as the patient walks in). If that is already past, the end of the period is used as long
     * as it is before the start. A result at or after the start is empty.
     */
    public static Optional<Instant> applyQuietHours(Instant due, Instant start, Instant now, ZoneId zone,
                                                    ReminderPolicy policy) {
        return shift(due, start, now, zone, policy, null, new DueReason.Now()).map(Shifted::at);
    }

    /** A due time after quiet hours were applied, and why it is that time. */
    private record Shifted(Instant at, DueReason reason) {
    }

    /** {@link #applyQuietHours}, keeping {@code unmoved} as the reason when quiet hours did not move the time. */
    private static Optional<Shifted> shift(Instant due, Instant start, Instant now, ZoneId zone,
                                           ReminderPolicy policy, String site, DueReason unmoved) {
        Instant result = due;
        DueReason reason = unmoved;
        Optional<QuietPeriod> quiet = quietPeriodContaining(due, zone, policy);
        if (quiet.isPresent()) {
            Instant quietStart = quiet.get().start();
            Instant quietEnd = quiet.get().end();
            Duration minLead = policy.minLeadAfterQuiet() == null ? Duration.ZERO : policy.minLeadAfterQuiet();
            boolean before = quietEnd.plus(minLead).isAfter(start);
            result = before ? quietStart.minus(Duration.ofMinutes(1)) : quietEnd;
            if (result.isBefore(now)) {
                if (!quietEnd.isBefore(start)) {
                    return Optional.empty();
                }
                result = quietEnd;
                before = false;
            }
            reason = new DueReason.QuietHours(policy.quietStart(), policy.quietEnd(), zone, site, before);
        }
        return result.isBefore(start) ? Optional.of(new Shifted(result, reason)) : Optional.empty();
    }

    /**
     * A short, stable label for a reminder offset; it identifies the reminder per appointment, so distinct
     * durations always get distinct labels. Under a day, or a whole number of days, it is one unit — hours,
     * else minutes, else seconds ("2h", "90m", "48h"); longer durations with a part-day left over are
     * written in parts ("1d12h", "1d2h30m").
     */
    public static String label(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative reminder offset: " + d);
        }
        if (d.compareTo(DAY) < 0 || d.toNanos() % DAY.toNanos() == 0) {
            return singleUnit(d);
        }
        StringBuilder sb = new StringBuilder().append(d.toDays()).append('d');
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        return sb.toString();
    }

    private static String singleUnit(Duration d) {
        if (d.isZero()) {
            return "0m";
        }
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + "h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }

    /** Reminders in descending offset order, so that on a collision the earlier-planned (larger) one wins. */
    private static List<Planned> reminders(Instant now, Instant start, ZoneId zone, ReminderPolicy policy,
                                           String site) {
        List<Duration> offsets = policy.reminderOffsets() == null ? List.of() : policy.reminderOffsets();
        List<Planned> out = new ArrayList<>();
        Set<Instant> taken = new HashSet<>();
        offsets.stream()
                .filter(o -> o != null && o.compareTo(Duration.ZERO) > 0)
                .distinct()
                .sorted(Comparator.reverseOrder())
                .forEach(offset -> {
                    Instant due = start.minus(offset);
                    if (!due.isAfter(now)) {
                        return;
                    }
                    shift(due, start, now, zone, policy, site, new DueReason.BeforeVisit(offset))
                            .filter(s -> taken.add(s.at()))
                            .ifPresent(s -> out.add(new Planned(
                                    new PlannedMessage(MessageKind.REMINDER, label(offset), s.at()), s.reason())));
                });
        return out;
    }

    /**
     * The quiet period [start, end) holding {@code instant}, if any. Membership is decided on resolved instants
     * rather than on the local time of day, so it agrees with the boundaries even when one lies in a DST gap.
     */
    private static Optional<QuietPeriod> quietPeriodContaining(Instant instant, ZoneId zone, ReminderPolicy policy) {
        if (!policy.hasQuietHours()) {
            return Optional.empty();
        }
        boolean spansMidnight = policy.quietEnd().isBefore(policy.quietStart());
        LocalDate day = instant.atZone(zone).toLocalDate();
        // A period that began the previous evening may still be running; only those two can hold the instant.
        for (LocalDate begin : List.of(day.minusDays(1), day)) {
            Instant from = ZonedDateTime.of(begin, policy.quietStart(), zone).toInstant();
            LocalDate endDay = spansMidnight ? begin.plusDays(1) : begin;
            Instant to = ZonedDateTime.of(endDay, policy.quietEnd(), zone).toInstant();
            if (!instant.isBefore(from) && instant.isBefore(to)) {
                return Optional.of(new QuietPeriod(from, to));
            }
        }
        return Optional.empty();
    }

    /** One occurrence of quiet hours on the time line, [start, end). */
    private record QuietPeriod(Instant start, Instant end) {
    }

    private static List<Planned> sorted(List<Planned> planned) {
        // Stable sort: a notice and a reminder at the same instant keep notice-first order.
        planned.sort(Comparator.comparing((Planned p) -> p.message().dueAt()));
        return List.copyOf(planned);
    }

    private static List<PlannedMessage> messages(List<Planned> planned) {
        return planned.stream().map(Planned::message).toList();
    }
}
