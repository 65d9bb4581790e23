package org.careline.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mappings/oru.yaml: where the ORU and MDM mappers read order and document fields from; the patient and their
 * phones come from the pieces (mappings/pieces.yaml) the file names.
 *
 * @param patient    the patient's fields and phones, as composed from the pieces
 * @param phoneRules how the phones piece's entries are read
 * @param datatypes  what each patient source's "as" names (pieces.yaml's datatypes)
 */
public record OruMapping(List<String> triggers, Map<String, List<Hl7Source>> patient, Map<String, List<String>> order,
                         Documents documents, Hl7Pieces.PhoneRules phoneRules, Map<String, Hl7Datatype> datatypes) {

    public static final Set<String> ORDER_FIELDS = Set.of("placerOrderNumber", "fillerOrderNumber", "resultStatus",
            "observationStatus", "orderCode", "section", "producer");
    /** Segment-relative path inside an order group: SEG-field[-component[-subcomponent]]. */
    public static final String ORDER_PATH = "[A-Z][A-Z0-9]{2}-\\d+(-\\d+){0,2}";

    public record Documents(List<String> triggers, List<String> documentId, List<String> documentType,
                            List<String> completionStatus, List<String> availabilityStatus) {
    }

    record File(List<String> triggers, PieceUse patient, Map<String, List<String>> order, Documents documents,
                PieceUse phones) {
    }

    public List<Hl7Source> patient(String field) {
        return patient.getOrDefault(field, List.of());
    }

    public List<String> order(String field) {
        return order.getOrDefault(field, List.of());
    }

    public static OruMapping load(Path dir) {
        Path file = dir.resolve("oru.yaml");
        File m = YamlFiles.read(file, File.class);
        if (m.triggers() == null || m.triggers().isEmpty()) {
            throw YamlFiles.problem(file, "triggers", "at least one trigger event is required (e.g. R01)");
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
        if (m.order().getOrDefault("placerOrderNumber", List.of()).isEmpty()
                && m.order().getOrDefault("fillerOrderNumber", List.of()).isEmpty()) {
            throw YamlFiles.problem(file, "order.fillerOrderNumber", "an order number path is required");
        }
        if (m.documents() == null || m.documents().triggers() == null || m.documents().documentId() == null
                || m.documents().documentId().isEmpty()) {
            throw YamlFiles.problem(file, "documents", "triggers and documentId are required");
        }
        Hl7Pieces pieces = Hl7Pieces.load(dir);
        Map<String, List<Hl7Source>> patient = new HashMap<>(
                pieces.compose(file, "patient", m.patient(), Hl7Pieces.PATIENT_FIELDS));
        if (!patient.containsKey("patientId")) {
            throw YamlFiles.problem(file, "patient", "no source for patientId; at least one is required");
        }
        patient.putAll(pieces.compose(file, "phones", m.phones(), Set.of(Hl7Pieces.PHONES)));
        return new OruMapping(m.triggers(), Map.copyOf(patient), m.order(), m.documents(),
                pieces.phoneRules(m.phones()), pieces.datatypes());
    }
}
