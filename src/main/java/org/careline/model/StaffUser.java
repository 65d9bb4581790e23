package org.careline.model;

import java.time.Instant;
import java.util.Set;

/**
 * A person who signs in to the console or the API.
 *
 * @param sites the site codes whose patients they may see; null for every site
 * @param passwordHash an Argon2id PHC string
 */
public record StaffUser(long id, String username, String passwordHash, Set<Role> roles, Set<String> sites,
                        int failedAttempts, Instant lockedUntil, boolean disabled) {

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether this user may see what belongs to {@code site} (null: not tied to a site, e.g. an engine alert). */
    public boolean maySee(String site) {
        return sites == null || site == null || sites.contains(site);
    }
}
