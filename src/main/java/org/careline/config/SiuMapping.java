package org.careline.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** mappings/siu.yaml: where each appointment field is read from, with fallbacks in order. */
public record SiuMapping(Map<String, String> triggers, Map<String, List<Source>> fields, Map<String, PhoneField> phones) {

    /** Fields the SIU mapper reads; any other key in the file is a typo worth failing on. */
    public static final Set<String> FIELDS = Set.of("appointmentId", "placerId", "fillerId", "start", "end", "duration", "patientId",
            "patientIdAuthority", "familyName", "givenName", "language", "provider", "location", "site",
            "serviceCode", "serviceName", "instructions");
    public static final Set<String> EVENTS = Set.of("book", "reschedule", "modify", "cancel", "delete", "no-show");
    public static final Set<String> FORMATS = Set.of("text", "person", "place");

    /** One place a value may be read from. */
    public record Source(String path, String as, String units, Boolean all) {
        public String format() {
            return as == null ? "text" : as;
        }

        public boolean allRepetitions() {
            return Boolean.TRUE.equals(all);
        }
    }

    /** A repeating XTN field holding phone numbers. */
    public record PhoneField(String segment, int field) {
    }

    public List<Source> sources(String field) {
        return fields.getOrDefault(field, List.of());
    }

    public static SiuMapping load(Path dir) {
        Path file = dir.resolve("siu.yaml");
        SiuMapping m = YamlFiles.read(file, SiuMapping.class);
        if (m.triggers() == null || m.triggers().isEmpty()) {
            throw new MappingException(file + ", key 'triggers': at least one trigger event is required");
        }
        m.triggers().forEach((trigger, event) -> {
            if (!EVENTS.contains(event)) {
                throw new MappingException(file + ", key 'triggers." + trigger + "': '" + event
                        + "' is not one of " + EVENTS);
            }
        });
        if (m.fields() == null) {
            throw new MappingException(file + ", key 'fields': missing");
        }
        m.fields().forEach((name, sources) -> {
            if (!FIELDS.contains(name)) {
                throw new MappingException(file + ", key 'fields." + name + "': unknown field; known: " + FIELDS);
            }
            for (int i = 0; i < sources.size(); i++) {
                Source s = sources.get(i);
                String key = "fields." + name + "[" + i + "]";
                if (s.path() == null || s.path().isBlank()) {
                    throw new MappingException(file + ", key '" + key + ".path': missing");
                }
                if (!FORMATS.contains(s.format())) {
                    throw new MappingException(file + ", key '" + key + ".as': '" + s.as() + "' is not one of " + FORMATS);
                }
            }
        });
        for (String required : List.of("appointmentId", "start", "patientId")) {
            if (m.sources(required).isEmpty()) {
                throw new MappingException(file + ", key 'fields." + required + "': at least one source is required");
            }
        }
        if (m.phones() == null || m.phones().get("primary") == null) {
            throw new MappingException(file + ", key 'phones.primary': missing");
        }
        return m;
    }
}
