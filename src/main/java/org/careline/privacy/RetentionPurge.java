package org.careline.privacy;

import org.careline.model.AuditEntry;
import org.careline.model.DataClass;
import org.careline.model.RetentionRules;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.PatientRecords;
import org.careline.store.RetentionTargets;
import org.careline.store.RetentionTargets.Candidate;
import org.careline.store.RetentionTargets.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daily purge (routes/privacy.yaml): removes what is older than its class's period (mappings/retention.yaml),
 * except the data of patients under legal hold, in batches of {@value #BATCH} rows, each its own short transaction,
 * so ingest and sending never wait behind it for long. What it removed goes to the audit trail as counts per class
 * (actor system). The audit trail itself is pruned by {@link AuditPrune}.
 */
public final class RetentionPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    static final int BATCH = 500;

    /** What one run removed, per class key (messageBodies=…), and when it ran. */
    public record PurgeReport(Instant at, Map<String, Integer> removed) {
        public int total() {
            return removed.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Database db;
    private final RetentionTargets targets;
    private final PatientRecords records;
    private final AuditLog audit;
    private final AuditPrune auditPrune;
    private final RetentionRules rules;
    private final Clock clock;

    public RetentionPurge(Database db, RetentionTargets targets, PatientRecords records, AuditLog audit,
                          AuditPrune auditPrune, RetentionRules rules, Clock clock) {
        this.db = db;
        this.targets = targets;
        this.records = records;
        this.audit = audit;
        this.auditPrune = auditPrune;
        this.rules = rules;
        this.clock = clock;
    }

    /** The timer's call. */
    public PurgeReport purgeDue() {
        return run(clock.instant());
    }

    public PurgeReport run(Instant now) {
        HeldData held = held();
        Map<DataClass, Integer> removed = new EnumMap<>(DataClass.class);
        for (DataClass d : DataClass.values()) {
            removed.put(d, 0);
        }
        for (Target t : Target.values()) {
            Instant cutoff = rules.cutoff(t.dataClass(), now);
            removed.merge(t.dataClass(), purge(t, cutoff, held), Integer::sum);
        }
        Instant auditCutoff = rules.cutoff(DataClass.AUDIT_TRAIL, now);
        removed.put(DataClass.AUDIT_TRAIL, db.inTransaction(c -> auditPrune.pruneBefore(c, auditCutoff)));
        Map<String, Integer> byKey = new LinkedHashMap<>();
        removed.forEach((d, n) -> byKey.put(d.key(), n));
        PurgeReport report = new PurgeReport(now, byKey);
        String detail = PatientErasure.text(byKey);
        db.inTransaction(c -> {
            audit.record(c, new AuditEntry("system", "retention_purge", null, "retention", null, "ok", detail, null),
                    now);
            return null;
        });
        if (report.total() > 0) {
            db.compactOnClose();
        }
        LOG.info("retention purge: {}", detail);
        return report;
    }

    /** One target, batch by batch, each in its own transaction; rows of held patients are stepped over. */
    private int purge(Target t, Instant cutoff, HeldData held) {
        int total = 0;
        String after = t.firstKey();
        while (true) {
            String from = after;
            BatchResult r = db.inTransaction(c -> {
                List<Candidate> batch = targets.batch(c, t, cutoff, from, BATCH);
                List<String> keys = new ArrayList<>();
                for (Candidate row : batch) {
                    if (!held.covers(row)) {
                        keys.add(row.key());
                    }
                }
                int n = keys.isEmpty() ? 0 : targets.clear(c, t, keys);
                return new BatchResult(batch.size(), batch.isEmpty() ? from : batch.get(batch.size() - 1).key(), n);
            });
            total += r.cleared();
            if (r.read() < BATCH) {
                return total;
            }
            after = r.lastKey();
        }
    }

    private record BatchResult(int read, String lastKey, int cleared) {
    }

    private HeldData held() {
        return db.inTransaction(c -> {
            List<PatientRecords.PatientRow> rows = records.held(c);
            if (rows.isEmpty()) {
                return HeldData.NONE;
            }
            Set<Long> ids = new HashSet<>();
            Set<String> phones = new HashSet<>();
            List<PatientMarkers> markers = new ArrayList<>();
            for (PatientRecords.PatientRow p : rows) {
                ids.add(p.id());
                if (p.phone() != null) {
                    phones.addAll(records.phoneLookups(p.phone())); // as the rows store it: hashed or clear
                }
                markers.add(PatientMarkers.of(p.mrn(), p.phone()));
            }
            return new HeldData(Set.copyOf(ids), Set.copyOf(phones), List.copyOf(markers));
        });
    }
}
