package org.careline.privacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Removes audit-trail entries older than the cutoff, by the trail's own rules (a hash-chained trail must be cut so
 * that what is left still verifies). The daily purge calls it for the auditTrail class and never deletes audit rows
 * itself. Returns how many entries went.
 */
@FunctionalInterface
public interface AuditPrune {

    int pruneBefore(Connection c, Instant cutoff) throws SQLException;
}
