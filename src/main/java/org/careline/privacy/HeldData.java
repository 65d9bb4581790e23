package org.careline.privacy;

import org.careline.store.RetentionTargets.Candidate;

import java.util.List;
import java.util.Set;

/**
 * The patients under legal hold, as the purge needs them: a row is theirs when it names one of them, one of their
 * numbers, or carries one of their markers in its text. Pure.
 */
public record HeldData(Set<Long> patientIds, Set<String> phones, List<PatientMarkers> markers) {

    public static final HeldData NONE = new HeldData(Set.of(), Set.of(), List.of());

    public boolean covers(Candidate row) {
        if (row.patientId() != null && patientIds.contains(row.patientId())) {
            return true;
        }
        if (row.phone() != null && phones.contains(row.phone())) {
            return true;
        }
        if (row.text() != null) {
            for (PatientMarkers m : markers) {
                if (m.carries(row.text())) {
                    return true;
                }
            }
        }
        return false;
    }
}
