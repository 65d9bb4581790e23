package org.careline.ingest.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import org.careline.config.Hl7Datatype;
import org.careline.config.Hl7Source;
import org.careline.names.NameSource;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the sources a mapping lists for a field (siu.yaml, oru.yaml, pieces.yaml) from one message: text, a
 * composite such as a person's name (XCN/XPN) or a place (PL) rendered as its datatype in pieces.yaml says, or every
 * repetition of a segment. Shared by the SIU, ORU and MDM mappers, so a path means the same wherever it is written.
 */
final class Hl7Fields {

    /** "/.PID-13", "/.AIL(1)-3(2)": the segment spec, field number and optional field repetition. */
    static final Pattern FIELD_PATH = Pattern.compile("(.*?[A-Z][A-Z0-9]{2}(?:\\(\\d+\\))?)-(\\d+)(?:\\((\\d+)\\))?$");

    /** The datatype name whose sources are person names (pieces.yaml's "person"). */
    static final String PERSON = "person";

    private final Function<String, List<Hl7Source>> sources;
    private final Map<String, Hl7Datatype> datatypes;

    /**
     * @param sources   a field's sources in order, empty when the mapping lists none
     * @param datatypes what a source's "as" names (pieces.yaml's datatypes)
     */
    Hl7Fields(Function<String, List<Hl7Source>> sources, Map<String, Hl7Datatype> datatypes) {
        this.sources = sources;
        this.datatypes = datatypes;
    }

    /** The datatype a source names, or the given one when it names none; null for text. */
    Hl7Datatype datatype(Hl7Source s, String otherwise) {
        return datatypes.get(s.as() == null ? otherwise : s.as());
    }

    List<Hl7Source> sources(String field) {
        return sources.apply(field);
    }

    /** The first non-empty value among the field's sources. */
    String first(SegmentReads t, String field) {
        for (Hl7Source s : sources(field)) {
            String v = read(t, s);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Every non-empty value among the field's sources, in order. */
    List<String> all(SegmentReads t, String field) {
        List<String> values = new java.util.ArrayList<>();
        for (Hl7Source s : sources(field)) {
            String v = read(t, s);
            if (v != null) {
                values.add(v);
            }
        }
        return values;
    }

    /**
     * The field's sources as name candidates for {@link org.careline.names.ProviderNames}: a source read "as: person"
     * on a whole field is an XCN split into its parts (id XCN-1, family XCN-2.2 + XCN-2.1, given XCN-3, title XCN-6);
     * any other source is a written text. Empty sources are left out.
     */
    List<NameSource> names(SegmentReads t, String field) {
        List<NameSource> out = new java.util.ArrayList<>();
        for (Hl7Source s : sources(field)) {
            try {
                Field f = PERSON.equals(s.as()) ? field(t, s.path()) : null;
                if (f != null) {
                    String surname = clean(Terser.get(f.segment, f.number, f.rep, 2, 1));
                    String ownPrefix = clean(Terser.get(f.segment, f.number, f.rep, 2, 2));
                    String family = surname == null ? null : ownPrefix == null ? surname : ownPrefix + " " + surname;
                    NameSource.Parts parts = new NameSource.Parts(clean(Terser.get(f.segment, f.number, f.rep, 1, 1)),
                            family, clean(Terser.get(f.segment, f.number, f.rep, 3, 1)),
                            clean(Terser.get(f.segment, f.number, f.rep, 6, 1)));
                    if (parts.id() != null || parts.family() != null || parts.given() != null) {
                        out.add(parts);
                    }
                    continue;
                }
            } catch (HL7Exception | RuntimeException e) {
                continue; // no such field in this message's structure: no candidate here
            }
            String text = read(t, s);
            if (text != null) {
                out.add(new NameSource.Text(text));
            }
        }
        return out;
    }

    /**
     * Reads one source, a composite rendered as its datatype says; a time is read as written (the caller parses
     * it). Absent or unreadable → null.
     */
    String read(SegmentReads t, Hl7Source s) {
        try {
            Hl7Datatype d = datatypes.get(s.format());
            String value = d != null && !d.isTime() ? composite(t, s.path(), d.components())
                    : s.allRepetitions() ? repetitions(t, s.path()) : t.get(s.path());
            return clean(value);
        } catch (HL7Exception | RuntimeException e) {
            // The path does not exist in this message's structure: not an error, just no value here.
            return null;
        }
    }

    /**
     * A composite field rendered from groups of its components: within a group joined with a space, groups with
     * ", " (PL [[1, 2], [4]]: "point of care room, facility"; XCN [[6, 3, 2]]: "Dr Anna Smith"). Empty parts and
     * empty groups are left out.
     */
    private static String composite(SegmentReads t, String path, List<List<Integer>> groups) throws HL7Exception {
        Field f = field(t, path);
        if (f == null) {
            return null;
        }
        StringJoiner out = new StringJoiner(", ");
        for (List<Integer> group : groups) {
            StringJoiner j = new StringJoiner(" ");
            for (int c : group) {
                String part = clean(Terser.get(f.segment, f.number, f.rep, c, 1));
                if (part != null) {
                    j.add(part);
                }
            }
            if (j.length() > 0) {
                out.add(j.toString());
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** The path read from every repetition of its segment ("/NTE-3" → NTE(0)-3, NTE(1)-3, ...), joined. */
    private static String repetitions(SegmentReads t, String path) {
        int dash = path.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String segPath = path.substring(0, dash);
        String rest = path.substring(dash);
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < 50; i++) {
            try {
                String v = clean(t.get(segPath + "(" + i + ")" + rest));
                if (v == null) {
                    break;
                }
                j.add(v);
            } catch (HL7Exception | RuntimeException e) {
                break;
            }
        }
        return j.length() > 0 ? j.toString() : null;
    }

    /** A field of a located segment: where composite values and telecom repetitions are read from. */
    record Field(Segment segment, int number, int rep) {
    }

    /** The segment and field a path names, located through the message's reads; null for a path that is not one. */
    static Field field(SegmentReads t, String path) throws HL7Exception {
        Matcher m = FIELD_PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Segment seg = t.segment(m.group(1));
        int rep = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new Field(seg, Integer.parseInt(m.group(2)), rep);
    }

    /** Text as Careline keeps it: HL7 escapes resolved, trimmed; empty and HL7's explicit null ("") are no value. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String v = Hl7Text.plain(s).trim();
        return v.isEmpty() || v.equals("\"\"") ? null : v;
    }
}
