package org.careline.model;

import java.time.Duration;

/**
 * The console's sign-in rules (CARELINE_ADMIN_PASSWORD, CARELINE_LOGIN_*, CARELINE_SESSION_*).
 *
 * @param adminPassword the first admin's password, or null
 */
public record AccessSettings(String adminPassword, int maxFailures, Duration lockout, Duration sessionIdle,
                            Duration sessionMax) {

    /** Until when a session made at {@code created} lasts when used at {@code now}: idle time, within the maximum. */
    public java.time.Instant sessionExpiry(java.time.Instant created, java.time.Instant now) {
        java.time.Instant idle = now.plus(sessionIdle);
        java.time.Instant max = created.plus(sessionMax);
        return idle.isBefore(max) ? idle : max;
    }

    @Override
    public String toString() {
        return "AccessSettings[adminPassword=" + (adminPassword == null ? "unset" : "****") + ", maxFailures="
                + maxFailures + ", lockout=" + lockout + ", sessionIdle=" + sessionIdle + ", sessionMax=" + sessionMax
                + "]";
    }
}
