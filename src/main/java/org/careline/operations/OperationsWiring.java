package org.careline.operations;

import org.apache.camel.main.Main;
import org.careline.routes.RouteCall;
import org.careline.store.Database;
import org.careline.store.DeadLetterStore;
import org.careline.store.InboundLog;
import org.careline.store.PatientHistory;

/**
 * Binds the analysts' and staff's read models and actions so the HTTP API can look them up by name:
 * {@code inboundMessages}, {@code deadLetters}, {@code patientTimeline}.
 */
public final class OperationsWiring {

    /** The route every HL7 message is processed by, MLLP or replay (routes/hl7-processing.yaml). */
    public static final String HL7_PROCESSING = "direct:hl7-process";

    private OperationsWiring() {
    }

    /** The analysts' services, for the staff API. */
    public record Operations(InboundMessages inbound, DeadLetters deadLetters, PatientTimeline timeline) {
    }

    /** @param dueNow the dispatcher's nudge, told when a dead outbox message was put back */
    public static Operations bind(Main main, Database db, Runnable dueNow) {
        Operations o = new Operations(new InboundMessages(db, new InboundLog(db.cipher()),
                new RouteCall(main::getCamelContext, HL7_PROCESSING)),
                new DeadLetters(db, new DeadLetterStore(), dueNow), new PatientTimeline(db, new PatientHistory(db.cipher())));
        main.bind("inboundMessages", o.inbound());
        main.bind("deadLetters", o.deadLetters());
        main.bind("patientTimeline", o.timeline());
        return o;
    }
}
