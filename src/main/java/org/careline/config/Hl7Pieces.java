package org.careline.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * mappings/pieces.yaml: named, reusable lists of HL7 v2 sources (who the patient is, their phones ...) that
 * siu.yaml and oru.yaml use by name, so that one place says where PID-13 is read.
 */
public final class Hl7Pieces {

    public static final String FILE = "pieces.yaml";
    /** The patient's fields a piece may give: what every HL7 message Careline reads says about the patient. */
    public static final Set<String> PATIENT_FIELDS = Set.of("patientId", "patientIdAuthority", "givenName",
            "familyName", "language", "site");
    /** The patient's telecom fields (XTN), tried in order. */
    public static final String PHONES = "phones";
    /** A whole repeating field, the only thing a phone source may name: "/.PID-13". */
    private static final Pattern FIELD_PATH = Pattern.compile("/\\.?([A-Z0-9_]+/)*[A-Z][A-Z0-9]{2}-\\d+");

    record File(Map<String, Map<String, List<Hl7Source>>> pieces) {
    }

    private final Path file;
    private final Map<String, Map<String, List<Hl7Source>>> pieces;

    private Hl7Pieces(Path file, Map<String, Map<String, List<Hl7Source>>> pieces) {
        this.file = file;
        this.pieces = pieces;
    }

    public static Hl7Pieces load(Path dir) {
        Path path = dir.resolve(FILE);
        File f = YamlFiles.read(path, File.class);
        if (f.pieces() == null || f.pieces().isEmpty()) {
            throw YamlFiles.problem(path, "pieces", "at least one piece is required");
        }
        f.pieces().forEach((name, fields) -> {
            if (fields.isEmpty()) {
                throw YamlFiles.problem(path, "pieces." + name, "a piece gives at least one field");
            }
            fields.forEach((field, sources) -> {
                String key = "pieces." + name + "." + field;
                if (!PATIENT_FIELDS.contains(field) && !PHONES.equals(field)) {
                    throw YamlFiles.problem(path, key, "unknown field; known: " + new TreeSet<>(known()));
                }
                checkSources(path, key, field, sources);
            });
        });
        return new Hl7Pieces(path, f.pieces());
    }

    private static Set<String> known() {
        Set<String> s = new TreeSet<>(PATIENT_FIELDS);
        s.add(PHONES);
        return s;
    }

    /** Checks one field's sources wherever they are written: a path each, a known format, phones whole fields. */
    static void checkSources(Path file, String key, String field, List<Hl7Source> sources) {
        if (sources.isEmpty()) {
            throw YamlFiles.problem(file, key, "at least one source is required");
        }
        for (int i = 0; i < sources.size(); i++) {
            Hl7Source s = sources.get(i);
            String at = key + "[" + i + "]";
            if (s.path() == null || s.path().isBlank()) {
                throw YamlFiles.problem(file, at + ".path", "missing");
            }
            if (!Hl7Source.FORMATS.contains(s.format())) {
                throw YamlFiles.problem(file, at + ".as", "'" + s.as() + "' is not one of " + Hl7Source.FORMATS);
            }
            if (PHONES.equals(field)) {
                if (!FIELD_PATH.matcher(s.path()).matches()) {
                    throw YamlFiles.problem(file, at + ".path", "'" + s.path()
                            + "' is not a telecom field such as /.PID-13 (no component: every part of XTN is read)");
                }
                if (s.repetition() != null && s.repetition() < 1) {
                    throw YamlFiles.problem(file, at + ".repetition", "must be 1 or more (1 is the first)");
                }
            } else if (s.repetition() != null) {
                throw YamlFiles.problem(file, at + ".repetition", "only phone sources name a repetition");
            }
        }
    }

    /**
     * The fields a mapping section gets from {@code use}: the piece's fields, each replaced by the section's own
     * field of that name.
     *
     * @param mapping the message mapping file the section is in, for errors
     * @param key     the section's key in it (e.g. "patient")
     * @param allowed the fields that section reads
     */
    Map<String, List<Hl7Source>> compose(Path mapping, String key, PieceUse section, Set<String> allowed) {
        if (section == null) {
            throw YamlFiles.problem(mapping, key, "missing (e.g. \"" + key + ": { use: hl7-" + key + " }\")");
        }
        Map<String, List<Hl7Source>> result = new java.util.LinkedHashMap<>();
        if (section.use() != null) {
            Map<String, List<Hl7Source>> piece = pieces.get(section.use());
            if (piece == null) {
                throw YamlFiles.problem(mapping, key + ".use", "no piece named '" + section.use() + "' in " + file
                        + "; known: " + new TreeSet<>(pieces.keySet()));
            }
            piece.forEach((field, sources) -> {
                if (!allowed.contains(field)) {
                    throw YamlFiles.problem(mapping, key + ".use", "piece '" + section.use() + "' gives '" + field
                            + "', which is not read here; read here: " + new TreeSet<>(allowed));
                }
            });
            result.putAll(piece);
        }
        if (section.fields() != null) {
            section.fields().forEach((field, sources) -> {
                String at = key + ".fields." + field;
                if (!allowed.contains(field)) {
                    throw YamlFiles.problem(mapping, at, "unknown field; known: " + new TreeSet<>(allowed));
                }
                checkSources(mapping, at, field, sources);
                result.put(field, sources);
            });
        }
        if (result.isEmpty()) {
            throw YamlFiles.problem(mapping, key, "names no piece (use) and no fields");
        }
        return Map.copyOf(result);
    }
}
