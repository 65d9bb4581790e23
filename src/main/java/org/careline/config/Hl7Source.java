package org.careline.config;

/**
 * One place in an HL7 v2 message a value may be read from, as siu.yaml, oru.yaml and pieces.yaml write it: a HAPI
 * Terser path and how to render what is there.
 *
 * @param path       "/.SEG-f-c-s": the first SEG anywhere in the message; "/SEG-f": a top-level one
 * @param as         text (default), or a datatype of pieces.yaml: person (XCN/XPN as "Given Family"), place (PL
 *                   as "point of care room, facility"), time (DTM)
 * @param units      for durations: a path giving the units of the value (minutes when absent)
 * @param all        true joins every repetition of the segment with " " (notes)
 * @param repetition for phones: only this repetition of the field (1 = the first); every repetition when absent
 */
public record Hl7Source(String path, String as, String units, Boolean all, Integer repetition) {

    /** Read as written; every other format is a datatype of pieces.yaml. */
    public static final String TEXT = "text";

    public String format() {
        return as == null ? TEXT : as;
    }

    public boolean allRepetitions() {
        return Boolean.TRUE.equals(all);
    }

    /** A plain path read as text: a duration's units. */
    public static Hl7Source text(String path) {
        return new Hl7Source(path, null, null, null, null);
    }
}
