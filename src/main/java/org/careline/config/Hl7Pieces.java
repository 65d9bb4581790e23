package org.careline.config;

import com.fasterxml.jackson.core.type.TypeReference;
import org.careline.model.PhoneMarkers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
            "familyName", "language", "site", "protection", "consentStatus");
    /** The patient's telecom fields (XTN), tried in order. */
    public static final String PHONES = "phones";
    /** What a phones piece says about the entries besides where they are: which codes mark what, where the number is. */
    public static final Set<String> PHONE_RULES = Set.of("number", "mobileMarkers", "neverMessage", "emailUses",
            "emailEquipment");
    /** XTN-1 (the number as written), else XTN-12 (unformatted); XTN-5/6/7 when neither holds one. */
    static final List<Integer> DEFAULT_NUMBER = List.of(1, 12);
    private static final TypeReference<List<Hl7Source>> SOURCES = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> CODES = new TypeReference<>() {
    };
    private static final TypeReference<List<Integer>> COMPONENTS = new TypeReference<>() {
    };
    /** A whole repeating field, the only thing a phone source may name: "/.PID-13". */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9.]+");
    private static final Pattern FIELD_PATH = Pattern.compile("/\\.?([A-Z0-9_]+/)*[A-Z][A-Z0-9]{2}-\\d+");

    /**
     * What a datatype means when pieces.yaml does not say (a file written before datatypes were): the shipped
     * meanings. A datatype the file gives replaces the one of the same name.
     */
    public static final Map<String, Hl7Datatype> DEFAULT_DATATYPES = Map.of(
            "person", new Hl7Datatype(List.of(List.of(6, 3, 2)), null, null),
            "place", new Hl7Datatype(List.of(List.of(1, 2), List.of(4)), null, null),
            "time", new Hl7Datatype(null, Hl7Datatype.SITE_ZONE, "year"));

    /** A piece's keys are read by name: sources for fields, codes and component numbers for the phone rules. */
    record File(Map<String, Map<String, Object>> pieces, Map<String, Hl7Datatype> datatypes) {
    }

    /**
     * How a phones piece's entries are read: the XTN components that hold the number, in order, and the codes that
     * mark a mobile, a number never to message, an e-mail entry.
     */
    public record PhoneRules(List<Integer> number, PhoneMarkers markers) {
        /** What the shipped pieces.yaml says; a phones piece that leaves a list out gets that list from here. */
        public static final PhoneRules DEFAULTS = new PhoneRules(DEFAULT_NUMBER, PhoneMarkers.DEFAULTS);
    }

    private final Path file;
    private final Map<String, Map<String, List<Hl7Source>>> pieces;
    private final Map<String, PhoneRules> phoneRules;
    private final Map<String, Hl7Datatype> datatypes;

    private Hl7Pieces(Path file, Map<String, Map<String, List<Hl7Source>>> pieces, Map<String, PhoneRules> phoneRules,
                      Map<String, Hl7Datatype> datatypes) {
        this.file = file;
        this.pieces = pieces;
        this.phoneRules = phoneRules;
        this.datatypes = datatypes;
    }

    /** Every datatype a source may name with "as": the shipped ones, as the file redefines or adds to them. */
    public Map<String, Hl7Datatype> datatypes() {
        return datatypes;
    }

    public static Hl7Pieces load(Path dir) {
        Path path = dir.resolve(FILE);
        File f = YamlFiles.read(path, File.class);
        if (f.pieces() == null || f.pieces().isEmpty()) {
            throw YamlFiles.problem(path, "pieces", "at least one piece is required");
        }
        Map<String, Hl7Datatype> datatypes = datatypes(path, f.datatypes());
        Map<String, Map<String, List<Hl7Source>>> pieces = new LinkedHashMap<>();
        Map<String, PhoneRules> rules = new LinkedHashMap<>();
        f.pieces().forEach((name, fields) -> {
            if (fields.isEmpty()) {
                throw YamlFiles.problem(path, "pieces." + name, "a piece gives at least one field");
            }
            Map<String, List<Hl7Source>> sources = new LinkedHashMap<>();
            fields.forEach((field, value) -> {
                String key = "pieces." + name + "." + field;
                if (PHONE_RULES.contains(field)) {
                    return;
                }
                if (!PATIENT_FIELDS.contains(field) && !PHONES.equals(field)) {
                    throw YamlFiles.problem(path, key, "unknown field; known: " + new TreeSet<>(known()));
                }
                List<Hl7Source> list = YamlFiles.convert(path, key, value, SOURCES);
                checkSources(path, key, field, list, datatypes);
                sources.put(field, List.copyOf(list));
            });
            boolean givesRules = fields.keySet().stream().anyMatch(PHONE_RULES::contains);
            if (givesRules && !sources.containsKey(PHONES)) {
                throw YamlFiles.problem(path, "pieces." + name + "." + fields.keySet().stream()
                        .filter(PHONE_RULES::contains).findFirst().orElseThrow(), "only a piece that gives phones "
                        + "says how they are read");
            }
            if (sources.containsKey(PHONES)) {
                rules.put(name, phoneRules(path, "pieces." + name, fields));
            }
            pieces.put(name, Map.copyOf(sources));
        });
        return new Hl7Pieces(path, pieces, rules, datatypes);
    }

    private static Map<String, Hl7Datatype> datatypes(Path path, Map<String, Hl7Datatype> given) {
        Map<String, Hl7Datatype> all = new LinkedHashMap<>(DEFAULT_DATATYPES);
        if (given == null) {
            return Map.copyOf(all);
        }
        given.forEach((name, d) -> {
            String key = "datatypes." + name;
            if (!name.matches("[a-z][a-z0-9-]*") || name.equals(Hl7Source.TEXT)) {
                throw YamlFiles.problem(path, key, "a datatype's name is lower-case letters, digits and dashes, "
                        + "and not 'text'");
            }
            boolean time = d.zone() != null || d.precision() != null;
            if (time == (d.components() != null)) {
                throw YamlFiles.problem(path, key, "give either components (a composite such as PL) or zone and "
                        + "precision (a time), not both or neither");
            }
            if (time) {
                if (d.zone() != null && !Hl7Datatype.SITE_ZONE.equals(d.zone())) {
                    try {
                        java.time.ZoneId.of(d.zone());
                    } catch (java.time.DateTimeException e) {
                        throw YamlFiles.problem(path, key + ".zone", "'" + d.zone()
                                + "' is neither 'site' nor a time zone such as UTC or Europe/London");
                    }
                }
                if (d.precision() != null && !Hl7Datatype.PRECISIONS.contains(d.precision())) {
                    throw YamlFiles.problem(path, key + ".precision", "'" + d.precision() + "' is not one of "
                            + Hl7Datatype.PRECISIONS);
                }
            } else {
                if (d.components().isEmpty()) {
                    throw YamlFiles.problem(path, key + ".components", "at least one group of components");
                }
                for (int g = 0; g < d.components().size(); g++) {
                    List<Integer> group = d.components().get(g);
                    if (group.isEmpty() || group.stream().anyMatch(c -> c < 1 || c > 99)) {
                        throw YamlFiles.problem(path, key + ".components[" + g + "]", "a group is a list of "
                                + "component numbers from 1, such as [1, 2]");
                    }
                }
            }
            all.put(name, d);
        });
        return Map.copyOf(all);
    }

    /** The phone rules a piece gives; a list it leaves out is the shipped one. */
    private static PhoneRules phoneRules(Path path, String key, Map<String, Object> fields) {
        List<Integer> number = fields.containsKey("number")
                ? YamlFiles.convert(path, key + ".number", fields.get("number"), COMPONENTS) : DEFAULT_NUMBER;
        for (int i = 0; i < number.size(); i++) {
            if (number.get(i) < 1 || number.get(i) > 12) {
                throw YamlFiles.problem(path, key + ".number[" + i + "]", number.get(i)
                        + " is not an XTN component (1 to 12)");
            }
        }
        PhoneMarkers d = PhoneMarkers.DEFAULTS;
        PhoneMarkers markers = new PhoneMarkers(
                codes(path, key, "mobileMarkers", fields, d.mobile(), WORD),
                codes(path, key, "neverMessage", fields, d.neverMessage(), WORD),
                codes(path, key, "emailUses", fields, d.emailUses(), CODE),
                codes(path, key, "emailEquipment", fields, d.emailEquipment(), CODE));
        for (String code : markers.mobile()) {
            if (markers.neverMessage().contains(code)) {
                throw YamlFiles.problem(path, key + ".neverMessage", "'" + code
                        + "' is also in mobileMarkers: a code marks a mobile or a number never messaged, not both");
            }
        }
        return new PhoneRules(List.copyOf(number), markers);
    }

    /**
     * A list of codes. Mobile and never-message markers are matched as words of XTN-2/XTN-3 ("Mobile Phone" holds
     * MOBILE), so one with a dot or space could never match; e-mail codes are matched whole ("X.400").
     */
    private static Set<String> codes(Path path, String key, String name, Map<String, Object> fields,
                                     Set<String> shipped, Pattern form) {
        if (!fields.containsKey(name)) {
            return shipped;
        }
        List<String> codes = YamlFiles.convert(path, key + "." + name, fields.get(name), CODES);
        for (int i = 0; i < codes.size(); i++) {
            if (!form.matcher(codes.get(i)).matches()) {
                throw YamlFiles.problem(path, key + "." + name + "[" + i + "]", "'" + codes.get(i) + "' is not "
                        + (form == WORD ? "one word of letters and digits, such as CP or MOBILE"
                        : "a code of letters, digits and dots, such as NET or X.400"));
            }
        }
        return Set.copyOf(codes);
    }

    private static Set<String> known() {
        Set<String> s = new TreeSet<>(PATIENT_FIELDS);
        s.add(PHONES);
        s.addAll(PHONE_RULES);
        return s;
    }

    /**
     * How the phones a section takes from its piece are read: that piece's rules; the shipped ones when the section
     * names no piece.
     */
    PhoneRules phoneRules(PieceUse section) {
        return section == null || section.use() == null ? PhoneRules.DEFAULTS
                : phoneRules.getOrDefault(section.use(), PhoneRules.DEFAULTS);
    }

    /**
     * The phone rules of the piece another file names (fhir.yaml's telecom.markers).
     *
     * @param mapping the file that names it, and the key it is named at, for errors
     */
    PhoneRules phoneRules(Path mapping, String key, String piece) {
        PhoneRules rules = phoneRules.get(piece);
        if (rules == null) {
            throw YamlFiles.problem(mapping, key, "no phones piece named '" + piece + "' in " + file
                    + "; known: " + new TreeSet<>(phoneRules.keySet()));
        }
        return rules;
    }

    /**
     * Checks one field's sources wherever they are written: a path each, a known datatype, phones whole fields.
     *
     * @param datatypes the datatypes a source may name with "as"
     */
    static void checkSources(Path file, String key, String field, List<Hl7Source> sources,
                             Map<String, Hl7Datatype> datatypes) {
        if (sources.isEmpty()) {
            throw YamlFiles.problem(file, key, "at least one source is required");
        }
        for (int i = 0; i < sources.size(); i++) {
            Hl7Source s = sources.get(i);
            String at = key + "[" + i + "]";
            if (s.path() == null || s.path().isBlank()) {
                throw YamlFiles.problem(file, at + ".path", "missing");
            }
            if (!Hl7Source.TEXT.equals(s.format()) && !datatypes.containsKey(s.format())) {
                Set<String> known = new TreeSet<>(datatypes.keySet());
                known.add(Hl7Source.TEXT);
                throw YamlFiles.problem(file, at + ".as", "'" + s.as() + "' is not one of " + known
                        + " (the datatypes of pieces.yaml, or text)");
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
                checkSources(mapping, at, field, sources, datatypes);
                result.put(field, sources);
            });
        }
        if (result.isEmpty()) {
            throw YamlFiles.problem(mapping, key, "names no piece (use) and no fields");
        }
        return Map.copyOf(result);
    }
}
