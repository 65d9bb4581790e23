package org.careline.audit;

import org.careline.store.AuditTrail;
import org.careline.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer's round (routes/audit.yaml, every second): seals what was appended to the audit trail since the last
 * round. One sealer per engine ("stateful" keeps rounds from overlapping); two engines on one database may race,
 * and then one round rolls back and the next picks up (AuditTrail#seal).
 */
public final class AuditSealer {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);

    private final Database db;
    private final AuditTrail trail;

    public AuditSealer(Database db, AuditTrail trail) {
        this.db = db;
        this.trail = trail;
    }

    public void run() {
        try {
            int sealed = trail.sealAll(db);
            if (sealed > 0) {
                LOG.debug("audit trail: {} entries sealed", sealed);
            }
        } catch (RuntimeException e) {
            // Another engine's sealer won this round (or the database is away): the entries wait for the next one.
            LOG.info("audit trail not sealed this round ({}); the next round retries", e.getClass().getSimpleName());
        }
    }
}
