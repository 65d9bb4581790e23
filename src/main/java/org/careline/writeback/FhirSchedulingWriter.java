package org.careline.writeback;

import org.careline.fhir.FhirClient;
import org.careline.fhir.FhirRejectedException;
import org.careline.fhir.FhirUnavailableException;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request's FHIR writes, in order, through {@link FhirClient}. Every write is safe to repeat (conditional
 * creates, a patch that sets fixed values), so a request interrupted halfway is simply made again from the start.
 */
public final class FhirSchedulingWriter {

    private final FhirClient fhir;

    public FhirSchedulingWriter(FhirClient fhir) {
        this.fhir = fhir;
    }

    /**
     * Makes the writes; returns what they created or changed there ("AppointmentResponse/17", ...), in order.
     *
     * @throws FhirUnavailableException the server could not answer now: make them all again later
     * @throws FhirRejectedException    the server refused one: making it again would not help
     */
    public List<String> write(List<FhirWrite> writes) throws FhirUnavailableException, FhirRejectedException {
        List<String> refs = new ArrayList<>();
        for (FhirWrite w : writes) {
            String ref;
            if (w instanceof FhirWrite.Create c) {
                ref = fhir.create(c.resource(), c.ifNoneExist());
                if (ref == null) {
                    ref = c.resource().fhirType(); // the server said where only in a body it did not send
                }
            } else {
                FhirWrite.Patch p = (FhirWrite.Patch) w;
                fhir.patch(p.reference(), p.jsonPatch());
                ref = p.reference();
            }
            refs.add(ref);
        }
        return refs;
    }
}
