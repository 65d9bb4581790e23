package org.careline.access;

import org.careline.model.Role;
import org.careline.model.StaffUser;

import java.util.Set;

/**
 * Who is making a request, and how they proved it: a browser session (then every change must carry the session's
 * CSRF token) or an API token (a machine: no cookie, so no cross-site forgery to guard against).
 */
public record Caller(StaffUser user, boolean viaSession, String csrfToken, String sessionHash) {

    public String name() {
        return user.username();
    }

    public boolean hasAny(Set<Role> roles) {
        for (Role r : roles) {
            if (user.has(r)) {
                return true;
            }
        }
        return false;
    }

    /** The sites whose data the caller may see; null for every site. */
    public Set<String> sites() {
        return user.sites();
    }
}
