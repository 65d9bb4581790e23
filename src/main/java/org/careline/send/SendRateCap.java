package org.careline.send;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;

/**
 * Keeps sends from one phone-number id under Meta's throughput limit: never more than {@code perSecond} sends
 * arriving at Meta in any sliding one-second window.
 *
 * <p>A send counts from before it starts until one window after its answer came back. Its arrival at Meta lies
 * between those two, so however long each request takes on the way, any {@code perSecond + 1} arrivals span at
 * least a second. (Counting from the start of each send alone is not enough: one request that is slow on the way
 * and the one {@code perSecond} places later that is fast land less than a second apart.) Callers
 * {@link #acquire()}, send, then {@link #sent()}, also when the send failed.
 */
public class SendRateCap {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final int perSecond;
    private final InstantSource clock;
    /** When each answered send that still counts stops counting (its answer plus a window), oldest first. */
    private final ArrayDeque<Instant> counting = new ArrayDeque<>();
    private int inFlight;

    public SendRateCap(int perSecond, InstantSource clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes a send slot if one is free now and returns {@link Duration#ZERO}: the caller may send, and must call
     * {@link #sent()} once it has the answer. Otherwise takes nothing and returns how long until a slot frees at
     * the earliest (a whole window when only sends still waiting for their answer hold the slots).
     */
    public synchronized Duration tryAcquire() {
        Instant now = clock.instant();
        while (!counting.isEmpty() && !counting.peekFirst().isAfter(now)) {
            counting.pollFirst();
        }
        if (inFlight + counting.size() < perSecond) {
            inFlight++;
            return Duration.ZERO;
        }
        return counting.isEmpty() ? WINDOW : Duration.between(now, counting.peekFirst());
    }

    /** Waits until a send slot is free and takes it; pair with {@link #sent()}. */
    public synchronized void acquire() throws InterruptedException {
        for (Duration wait = tryAcquire(); !wait.isZero(); wait = tryAcquire()) {
            // Woken early by sent(); the +1 rounds up so the slot has surely freed when the wait ends.
            wait(wait.toMillis() + 1);
        }
    }

    /** The send a slot was taken for has its answer (or failed): it counts one more window from now. */
    public synchronized void sent() {
        if (inFlight == 0) {
            throw new IllegalStateException("sent() without acquire()");
        }
        inFlight--;
        Instant until = clock.instant().plus(WINDOW);
        if (!counting.isEmpty() && counting.peekLast().isAfter(until)) {
            until = counting.peekLast(); // the clock stepped back: keep the queue in order, err on the safe side
        }
        counting.addLast(until);
        notifyAll();
    }
}
