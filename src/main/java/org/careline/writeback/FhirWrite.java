package org.careline.writeback;

import org.hl7.fhir.r4.model.Resource;

/** One call a FHIR write-back makes; a request's calls are made in order, each safe to repeat. */
public sealed interface FhirWrite {

    /** Create {@code resource} unless the search {@code ifNoneExist} (identifier=system|value) finds one already. */
    record Create(Resource resource, String ifNoneExist) implements FhirWrite {
    }

    /** Apply the JSON Patch {@code jsonPatch} to {@code reference} ("Appointment/123"). */
    record Patch(String reference, String jsonPatch) implements FhirWrite {
    }
}
