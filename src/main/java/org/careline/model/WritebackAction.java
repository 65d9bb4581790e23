package org.careline.model;

import java.util.EnumSet;
import java.util.Set;

/** What a request writes to the scheduling system. */
public enum WritebackAction {
    /** The patient confirmed they will come. */
    CONFIRM,
    /** The patient wants another time. */
    CHANGE,
    /** The patient wants to cancel. */
    CANCEL,
    /** A message the patient sent, recorded on the FHIR server as a Communication (FHIR only: no HL7 message). */
    RECORD_MESSAGE;

    /** The patient's answers: each has an HL7 message in mappings/writeback.yaml. */
    public static final Set<WritebackAction> ANSWERS = EnumSet.of(CONFIRM, CHANGE, CANCEL);
}
