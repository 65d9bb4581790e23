package org.careline.model;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * The figures of one site (or every site a user may see) over a range of days in the site's time zone: what the
 * dashboard's table shows and what the monthly KPI report prints. Counts only, never a name, number or text, so the
 * figures may outlive the rows they were counted from (the retention purge deletes rows, not figures).
 *
 * <p>Each count is attributed to the day its event happened (a message to the day it was sent, a status to the day
 * it was reported, a reply to the day it arrived), except the no-show split, which counts appointments by the day
 * they were due to start.
 *
 * @param site      the site's code; null for every site the reader may see
 * @param service   the service's code; null for every service
 * @param from      the first day, inclusive
 * @param to        the last day, inclusive
 * @param messages  template messages sent and what became of them, per kind and in all
 * @param replies   patients' replies by what they asked for
 * @param queues    staff queues: items opened and how fast they were answered
 * @param noShows   appointments due in the range, split by whether the patient was reached
 * @param failures  sends that failed, by Cloud API error code, most frequent first
 * @param daily     one entry per day of the range, oldest first (for charts)
 */
public record KpiFigures(String site, String service, LocalDate from, LocalDate to, long appointmentsBooked,
                         Messages messages, Replies replies, long optOuts, List<QueueFigures> queues,
                         long emergencies, Results results, NoShowSplit noShows, List<FailureCause> failures,
                         List<DayFigures> daily) {

    public KpiFigures {
        queues = List.copyOf(queues);
        failures = List.copyOf(failures);
        daily = List.copyOf(daily);
    }

    /** Sent, delivered, read and failed: in all and per message kind. */
    public record Messages(MessageCounts total, List<KindCounts> byKind) {
        public Messages {
            byKind = List.copyOf(byKind);
        }
    }

    /**
     * @param sent      accepted by the Cloud API (a wamid came back)
     * @param delivered reported delivered (or read, which implies it)
     * @param read      reported read
     * @param failed    failed: refused by the Cloud API for good, or a failed status
     */
    public record MessageCounts(long sent, long delivered, long read, long failed) {

        /** delivered / sent, or 0 when nothing was sent. */
        public double deliveryRate() {
            return ratio(delivered, sent);
        }

        /** read / sent, or 0 when nothing was sent. */
        public double readRate() {
            return ratio(read, sent);
        }
    }

    /** @param kind a {@link MessageKind} name (CONFIRMATION, REMINDER, …) */
    public record KindCounts(String kind, MessageCounts counts) {
    }

    /** Patients' replies by intent (mappings/replies.yaml); {@code other} is every reply staff had to read. */
    public record Replies(long confirm, long change, long cancel, long location, long help, long stop, long other) {

        public long total() {
            return confirm + change + cancel + location + help + stop + other;
        }
    }

    /**
     * One triage queue (mappings/triage.yaml).
     *
     * @param items             items opened in the range
     * @param answered          of those, items a person answered (a reply or a follow-up template)
     * @param medianFirstAnswer median time from opening to the first answer, over the answered items; null if none
     * @param p90FirstAnswer    90th percentile of the same; null if none
     * @param slaKept           items answered within their queue's SLA
     */
    public record QueueFigures(String queue, long items, long answered, Duration medianFirstAnswer,
                               Duration p90FirstAnswer, long slaKept) {

        /** slaKept / items, or 0 when no item was opened. */
        public double slaKeptRate() {
            return ratio(slaKept, items);
        }
    }

    /** Results and document notices sent, and how many of their portal links the portal reported opened. */
    public record Results(long noticesSent, long linksOpened) {
    }

    /**
     * Appointments whose start time fell in the range (and has passed), in three groups that do not overlap: the
     * patient confirmed on WhatsApp; a message reached their phone (delivered or read) but they did not confirm; no
     * message reached them.
     */
    public record NoShowSplit(NoShowGroup confirmed, NoShowGroup reachedNotConfirmed, NoShowGroup notReached) {

        /** Confirmed and reached-not-confirmed together: every patient a message reached. */
        public NoShowGroup reached() {
            return new NoShowGroup(confirmed.appointments() + reachedNotConfirmed.appointments(),
                    confirmed.noShows() + reachedNotConfirmed.noShows());
        }

        /** The no-show rate of patients not reached minus that of patients reached: what messaging saved. */
        public double difference() {
            return notReached.rate() - reached().rate();
        }
    }

    /** @param noShows of the appointments, those marked no-show (SIU S26, FHIR noshow) */
    public record NoShowGroup(long appointments, long noShows) {

        /** noShows / appointments, or 0 when there were none. */
        public double rate() {
            return ratio(noShows, appointments);
        }
    }

    /** @param reason Meta's title for the code, as stored; null when unknown */
    public record FailureCause(Integer code, String reason, long count) {
    }

    /** One day of the range, for the charts. */
    public record DayFigures(LocalDate day, long booked, MessageCounts messages, long replies) {
    }

    static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
