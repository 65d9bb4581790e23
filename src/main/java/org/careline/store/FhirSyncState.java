package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * What Careline remembers of the FHIR server between notifications: the last event number per topic-based
 * subscription (a jump means events were missed), how far each resource type has been searched, and the version
 * of each resource last acted on (so a duplicate or replayed notification does nothing).
 */
public final class FhirSyncState {

    public Optional<Long> lastEvent(Connection c, String subscription) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_event FROM fhir_subscription_state WHERE subscription = ?")) {
            ps.setString(1, subscription);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Records {@code eventNumber} as seen, unless a higher one already was. */
    public void sawEvent(Connection c, String subscription, long eventNumber, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fhir_subscription_state SET last_event = ?, "
                + "updated_at = ? WHERE subscription = ? AND last_event < ?")) {
            ps.setLong(1, eventNumber);
            Sql.setInstant(ps, 2, now);
            ps.setString(3, subscription);
            ps.setLong(4, eventNumber);
            if (ps.executeUpdate() == 1 || lastEvent(c, subscription).isPresent()) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fhir_subscription_state (subscription, "
                + "last_event, updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, subscription);
            ps.setLong(2, eventNumber);
            Sql.setInstant(ps, 3, now);
            ps.executeUpdate();
        }
    }

    public Optional<Instant> syncedUntil(Connection c, String resourceType) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT synced_until FROM fhir_sync_state WHERE resource_type = ?")) {
            ps.setString(1, resourceType);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Sql.getInstant(rs, "synced_until")) : Optional.empty();
            }
        }
    }

    public void setSyncedUntil(Connection c, String resourceType, Instant until, Instant now) throws SQLException {
        Sql.updateElseInsert(c, "UPDATE fhir_sync_state SET synced_until = ?, updated_at = ? WHERE resource_type = ?",
                ps -> {
                    Sql.setInstant(ps, 1, until);
                    Sql.setInstant(ps, 2, now);
                    ps.setString(3, resourceType);
                },
                "INSERT INTO fhir_sync_state (resource_type, synced_until, updated_at) VALUES (?, ?, ?)",
                ps -> {
                    ps.setString(1, resourceType);
                    Sql.setInstant(ps, 2, until);
                    Sql.setInstant(ps, 3, now);
                });
    }

    /** The version of {@code type/id} last acted on, when there was one. */
    public Optional<String> appliedVersion(Connection c, String type, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version_id FROM fhir_resource "
                + "WHERE resource_type = ? AND resource_id = ?")) {
            ps.setString(1, type);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) == null ? "" : rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Locks (or creates) the row of {@code type/id} for this transaction, so two engines working notifications of
     * the same resource act on it one after the other.
     */
    public void lock(Connection c, String type, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fhir_resource SET applied_at = applied_at "
                + "WHERE resource_type = ? AND resource_id = ?")) {
            ps.setString(1, type);
            ps.setString(2, id);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fhir_resource (resource_type, resource_id, "
                + "version_id, applied_at) VALUES (?, ?, NULL, ?)")) {
            ps.setString(1, type);
            ps.setString(2, id);
            Sql.setInstant(ps, 3, now);
            ps.executeUpdate();
        }
    }

    public void applied(Connection c, String type, String id, String version, Instant lastUpdated, String status,
                        Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE fhir_resource SET version_id = ?, last_updated = ?, "
                + "status = ?, applied_at = ? WHERE resource_type = ? AND resource_id = ?")) {
            ps.setString(1, Sql.cap(version, 100));
            Sql.setInstant(ps, 2, lastUpdated);
            ps.setString(3, Sql.cap(status, 40));
            Sql.setInstant(ps, 4, now);
            ps.setString(5, type);
            ps.setString(6, id);
            ps.executeUpdate();
        }
    }
}
