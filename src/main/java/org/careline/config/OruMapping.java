package org.careline.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** mappings/oru.yaml: where the ORU and MDM mappers read patient, order and document fields from. */
public record OruMapping(List<String> triggers, Map<String, List<String>> patient, Map<String, List<String>> order,
                         Documents documents, Map<String, SiuMapping.PhoneField> phones) {

    public static final Set<String> PATIENT_FIELDS = Set.of("patientId", "patientIdAuthority", "givenName",
            "familyName", "language", "site");
    public static final Set<String> ORDER_FIELDS = Set.of("placerOrderNumber", "fillerOrderNumber", "resultStatus",
            "observationStatus", "orderCode", "section", "producer");
    /** Segment-relative path inside an order group: SEG-field[-component[-subcomponent]]. */
    public static final String ORDER_PATH = "[A-Z][A-Z0-9]{2}-\\d+(-\\d+){0,2}";

    public record Documents(List<String> triggers, List<String> documentId, List<String> documentType,
                            List<String> completionStatus, List<String> availabilityStatus) {
    }

    public List<String> patient(String field) {
        return patient.getOrDefault(field, List.of());
    }

    public List<String> order(String field) {
        return order.getOrDefault(field, List.of());
    }

    public static OruMapping load(Path dir) {
        Path file = dir.resolve("oru.yaml");
        OruMapping m = YamlFiles.read(file, OruMapping.class);
        if (m.triggers() == null || m.triggers().isEmpty()) {
            throw YamlFiles.problem(file, "triggers", "at least one trigger event is required (e.g. R01)");
        }
        if (m.patient() == null) {
            throw YamlFiles.problem(file, "patient", "missing");
        }
        m.patient().forEach((k, v) -> {
            if (!PATIENT_FIELDS.contains(k)) {
                throw YamlFiles.problem(file, "patient." + k, "unknown field; known: " + PATIENT_FIELDS);
            }
        });
        if (m.patient("patientId").isEmpty()) {
            throw YamlFiles.problem(file, "patient.patientId", "at least one path is required");
        }
        if (m.order() == null) {
            throw YamlFiles.problem(file, "order", "missing");
        }
        m.order().forEach((k, v) -> {
            if (!ORDER_FIELDS.contains(k)) {
                throw YamlFiles.problem(file, "order." + k, "unknown field; known: " + ORDER_FIELDS);
            }
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).matches(ORDER_PATH)) {
                    throw YamlFiles.problem(file, "order." + k + "[" + i + "]", "'" + v.get(i)
                            + "' is not a path like OBR-25 or OBR-4-1");
                }
            }
        });
        if (m.order("placerOrderNumber").isEmpty() && m.order("fillerOrderNumber").isEmpty()) {
            throw YamlFiles.problem(file, "order.fillerOrderNumber", "an order number path is required");
        }
        if (m.documents() == null || m.documents().triggers() == null || m.documents().documentId() == null
                || m.documents().documentId().isEmpty()) {
            throw YamlFiles.problem(file, "documents", "triggers and documentId are required");
        }
        if (m.phones() == null || m.phones().get("primary") == null) {
            throw YamlFiles.problem(file, "phones.primary", "missing");
        }
        return m;
    }
}
