package org.careline.privacy;

import org.careline.store.Database;
import org.careline.store.PatientRecords;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An access request (GDPR art. 15): everything Careline holds about one patient, as one document. */
public final class PatientExport {

    private final Database db;
    private final PatientRecords records;

    public PatientExport(Database db, PatientRecords records) {
        this.db = db;
        this.records = records;
    }

    /** The document, or empty when there is no such patient. */
    public Optional<Map<String, Object>> export(long patientId, Instant now) {
        Map<String, Object> sections = db.inTransaction(c -> records.exportOf(c, patientId));
        if (sections.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exportedAt", now);
        doc.put("patientId", patientId);
        doc.putAll(sections);
        return Optional.of(doc);
    }
}
