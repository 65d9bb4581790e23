package org.careline.consent;

import org.careline.model.PatientConsent;
import org.careline.store.ConsentStore;

import java.time.Instant;
import java.util.List;

/**
 * A patient's consent as staff see it (GET /api/v1/patients/{id}/consent): the state and every change, oldest first.
 *
 * @param consent      granted, refused or withdrawn; "none" when nothing was recorded
 * @param doNotMessage the feed's protection indicator says never to message this patient
 * @param requested    the opt-in template was queued for the patient
 */
public record ConsentReport(long patientId, String consent, boolean doNotMessage, boolean requested,
                            List<Change> history) {

    /** One change: value, who said so, when, and the note staff wrote beside it (null when none). */
    public record Change(String value, String source, Instant at, String note) {
    }

    public static ConsentReport of(PatientConsent state, List<ConsentStore.Change> changes) {
        return new ConsentReport(state.patientId(), state.consent() == null ? "none"
                : state.consent().dbValue().toLowerCase(java.util.Locale.ROOT), state.doNotMessage(),
                state.requested(), changes.stream().map(ch -> new Change(
                        ch.value().dbValue().toLowerCase(java.util.Locale.ROOT), ch.source(), ch.at(), ch.note())).toList());
    }
}
