package org.careline.consent;

import org.careline.store.AuditLog;
import org.careline.store.ConsentStore;
import org.careline.store.Outbox;

/**
 * Builds consent's store and recorder once for the engine: the dispatcher (holds, the opt-in request), the reply
 * handler (YES/NO, STOP/START), the HL7 and FHIR feeds and the staff API all record through the same pair, so a
 * change to how consent is stored or recorded is made in one place.
 */
public final class ConsentWiring {

    private ConsentWiring() {
    }

    /** What every part that reads or records consent is handed. */
    public record Consents(ConsentStore store, ConsentRecorder recorder) {
    }

    public static Consents build(Outbox outbox) {
        ConsentStore store = new ConsentStore(new AuditLog());
        return new Consents(store, new ConsentRecorder(store, outbox));
    }
}
