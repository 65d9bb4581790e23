package org.careline.metrics;

import org.careline.access.Caller;
import org.careline.model.Role;

import java.util.Optional;
import java.util.Set;

/**
 * Who may read /metrics on the HTTP port: an API token of an analyst or an admin. A session cookie is not enough:
 * scrapers are machines with tokens, and a page in a signed-in browser has no business reading this.
 */
public sealed interface MetricsAccess {

    Set<Role> ROLES = Set.of(Role.ANALYST, Role.ADMIN);

    /** Answered with the metrics. */
    record Allowed(Caller caller) implements MetricsAccess {
    }

    /** No token, or one nobody holds (or of a disabled user): 401. */
    record Unauthenticated() implements MetricsAccess {
    }

    /** A valid token of a user without either role: 403. */
    record Forbidden(Caller caller) implements MetricsAccess {
    }

    /** @param byToken the caller the request's bearer token names, when it names one */
    static MetricsAccess decide(Optional<Caller> byToken) {
        if (byToken.isEmpty()) {
            return new Unauthenticated();
        }
        Caller c = byToken.get();
        return c.hasAny(ROLES) ? new Allowed(c) : new Forbidden(c);
    }
}
