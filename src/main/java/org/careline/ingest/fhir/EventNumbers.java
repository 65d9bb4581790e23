package org.careline.ingest.fhir;

/**
 * What a subscription's event numbers in a pushed notification may do to the high-water mark (the last event
 * number Careline saw). Pure. A notification is only as trustworthy as its sender: a number far above the mark
 * (e.g. 9,000,000,000,000,000,000) would, if recorded, make every later real number look old and switch gap
 * detection off. So a number beyond the mark plus {@link #WINDOW} is not recorded: it triggers a catch-up through
 * $events, and only the numbers the FHIR server returns there are recorded (FhirSync).
 */
final class EventNumbers {

    /** How far above the mark a pushed event number is believed: a burst of events between two notifications. */
    static final long WINDOW = 1000;

    /** The decision for one notification's numbers. */
    sealed interface Decision permits InOrder, Gap, Unconfirmed {
    }

    /** Nothing missed: record {@code highWater} (already seen numbers leave the mark as it is). */
    record InOrder(long highWater) implements Decision {
    }

    /** Numbers after {@code seen} were skipped: catch up from {@code seen} and record {@code highWater}. */
    record Gap(long seen, long highWater) implements Decision {
    }

    /** Too far ahead to believe: record nothing, catch up from {@code seen}; the server says what happened. */
    record Unconfirmed(long seen) implements Decision {
    }

    private EventNumbers() {
    }

    /**
     * @param seen  the mark (0 when nothing was seen yet)
     * @param first the lowest number in the notification
     * @param last  the highest
     */
    static Decision decide(long seen, long first, long last) {
        long mark = Math.max(seen, 0);
        if (last <= mark) {
            return new InOrder(mark);
        }
        // last > mark >= 0, so last - mark cannot overflow.
        if (last - mark > WINDOW) {
            return new Unconfirmed(mark);
        }
        if (first > mark + 1) {
            return new Gap(mark, last);
        }
        return new InOrder(last);
    }

    /**
     * A handshake's count of events since the subscription started, for a subscription with no mark yet: believed
     * within the window; beyond it, the mark starts at 0 and the first notification's catch-up finds the truth.
     */
    static long handshakeMark(Long eventsSinceStart) {
        return eventsSinceStart == null || eventsSinceStart < 0 || eventsSinceStart > WINDOW ? 0 : eventsSinceStart;
    }
}
