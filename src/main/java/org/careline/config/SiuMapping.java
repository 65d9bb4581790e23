package org.careline.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mappings/siu.yaml: where each appointment field is read from, with fallbacks in order; the patient and their
 * phones come from the pieces (mappings/pieces.yaml) the file names.
 *
 * @param fields     every field the SIU mapper reads, the pieces' fields included
 * @param phoneRules how the phones piece's entries are read
 * @param datatypes  what each source's "as" names (pieces.yaml's datatypes)
 */
public record SiuMapping(Map<String, String> triggers, Map<String, List<Hl7Source>> fields,
                         Hl7Pieces.PhoneRules phoneRules, Map<String, Hl7Datatype> datatypes) {

    /** The appointment's own fields siu.yaml lists; any other key there is a typo worth failing on. */
    public static final Set<String> FIELDS = Set.of("appointmentId", "placerId", "fillerId", "start", "end",
            "duration", "provider", "location", "serviceCode", "serviceName", "instructions");
    /** Fields read as a date and time: their sources name a time datatype, or none (then "time"). */
    public static final Set<String> TIME_FIELDS = Set.of("start", "end");
    /** The datatype a time field's source without "as" is read as. */
    public static final String TIME = "time";
    public static final Set<String> EVENTS = Set.of("book", "reschedule", "modify", "cancel", "delete", "no-show");

    record File(Map<String, String> triggers, PieceUse patient, Map<String, List<Hl7Source>> fields,
                PieceUse phones) {
    }

    public List<Hl7Source> sources(String field) {
        return fields.getOrDefault(field, List.of());
    }

    public static SiuMapping load(Path dir) {
        Path file = dir.resolve("siu.yaml");
        File m = YamlFiles.read(file, File.class);
        if (m.triggers() == null || m.triggers().isEmpty()) {
            throw YamlFiles.problem(file, "triggers", "at least one trigger event is required");
        }
        m.triggers().forEach((trigger, event) -> {
            if (!EVENTS.contains(event)) {
                throw YamlFiles.problem(file, "triggers." + trigger, "'" + event
                        + "' is not one of " + EVENTS);
            }
        });
        if (m.fields() == null) {
            throw YamlFiles.problem(file, "fields", "missing");
        }
        Hl7Pieces pieces = Hl7Pieces.load(dir);
        m.fields().forEach((name, sources) -> {
            if (!FIELDS.contains(name)) {
                throw YamlFiles.problem(file, "fields." + name, "unknown field; known: " + FIELDS);
            }
            Hl7Pieces.checkSources(file, "fields." + name, name, sources, pieces.datatypes());
            for (int i = 0; i < sources.size(); i++) {
                Hl7Datatype d = pieces.datatypes().get(sources.get(i).as() == null && TIME_FIELDS.contains(name)
                        ? TIME : sources.get(i).format());
                boolean time = d != null && d.isTime();
                if (time != TIME_FIELDS.contains(name)) {
                    throw YamlFiles.problem(file, "fields." + name + "[" + i + "]" + (sources.get(i).as() == null
                            ? "" : ".as"), time ? "only start and end are read as a time"
                            : "start and end are read as a time datatype (as: time)");
                }
            }
        });
        Map<String, List<Hl7Source>> all = new HashMap<>(m.fields());
        all.putAll(pieces.compose(file, "patient", m.patient(), Hl7Pieces.PATIENT_FIELDS));
        all.putAll(pieces.compose(file, "phones", m.phones(), Set.of(Hl7Pieces.PHONES)));
        for (String required : List.of("appointmentId", "start", "patientId")) {
            if (!all.containsKey(required)) {
                throw YamlFiles.problem(file, required.equals("patientId") ? "patient" : "fields." + required,
                        "no source for " + required + "; at least one is required");
            }
        }
        return new SiuMapping(java.util.Collections.unmodifiableMap(m.triggers()), Map.copyOf(all),
                pieces.phoneRules(m.phones()), pieces.datatypes());
    }
}
