package org.careline.model;

import java.time.Duration;

/**
 * The console's sign-in rules (CARELINE_ADMIN_PASSWORD, CARELINE_LOGIN_*, CARELINE_SESSION_*).
 *
 * @param adminPassword the first admin's password, or null
 */
public record AccessSettings(String adminPassword, int maxFailures, Duration lockout, Duration sessionIdle,
                            Duration sessionMax) {

    @Override
    public String toString() {
        return "AccessSettings[adminPassword=" + (adminPassword == null ? "unset" : "****") + ", maxFailures="
                + maxFailures + ", lockout=" + lockout + ", sessionIdle=" + sessionIdle + ", sessionMax=" + sessionMax
                + "]";
    }
}
