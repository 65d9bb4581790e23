package org.careline.access;

import java.time.Duration;
import java.time.Instant;

/**
 * When repeated wrong passwords lock a user out. Pure: the sign-in service stores what it decides. A lock is
 * not told apart from a wrong password in the answer (401 either way), so probing names or passwords learns
 * nothing; only the audit trail says which it was.
 */
public final class LockoutPolicy {

    /** After a failure: failures in a row now, and until when the user is locked (null: not locked). */
    public record AfterFailure(int failures, Instant lockedUntil) {
    }

    private final int maxFailures;
    private final Duration lockout;

    public LockoutPolicy(int maxFailures, Duration lockout) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
    }

    public boolean locked(Instant lockedUntil, Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    /**
     * One more wrong password, {@code failuresBefore} having come before it in a row: the limit reached locks the
     * user and starts the count again, so the next lock needs as many failures again.
     */
    public AfterFailure failed(int failuresBefore, Instant now) {
        int failures = failuresBefore + 1;
        if (failures >= maxFailures) {
            return new AfterFailure(0, now.plus(lockout));
        }
        return new AfterFailure(failures, null);
    }
}
