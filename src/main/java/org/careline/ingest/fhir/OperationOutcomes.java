package org.careline.ingest.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OperationOutcome bodies Careline answers FHIR peers with: a code and a short text, never input content. */
final class OperationOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperationOutcomes() {
    }

    /** @param severity error | warning | information; @param code a FHIR issue-type code (invalid, security, ...) */
    static String of(String severity, String code, String diagnostics) {
        ObjectNode oo = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        oo.putArray("issue").addObject().put("severity", severity).put("code", code).put("diagnostics", diagnostics);
        return oo.toString();
    }
}
