package org.careline.api;

import org.careline.health.HealthCheck;
import org.careline.model.Role;

import java.util.List;
import java.util.Set;

/**
 * The engine's health in detail (each route's state, whether sending is paused), which {@code GET /health} no
 * longer tells strangers.
 */
final class HealthResource {

    private static final Set<Role> WATCHERS = Set.of(Role.ANALYST, Role.ADMIN);

    private final HealthCheck health;

    HealthResource(HealthCheck health) {
        this.health = health;
    }

    List<Endpoint> endpoints() {
        return List.of(new Endpoint("GET", "/health", WATCHERS, "the engine's health in detail: UP or DOWN, whether "
                + "sending is active or paused, and each route's state", call -> ApiAnswer.ok(health.report())));
    }
}
