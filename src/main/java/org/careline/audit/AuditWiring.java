package org.careline.audit;

import org.apache.camel.main.Main;
import org.careline.store.AuditTrail;
import org.careline.store.Database;

/** The audit trail's part of one engine: the sealer the auditSeal timer (routes/audit.yaml) calls. */
public final class AuditWiring {

    /** The bean routes/audit.yaml's timer calls. */
    public static final String SEALER_BEAN = "auditSealer";

    private AuditWiring() {
    }

    public static void bind(Main main, Database db) {
        main.bind(SEALER_BEAN, new AuditSealer(db, new AuditTrail()));
    }
}
