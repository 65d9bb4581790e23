package org.careline.ingest.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Terser reads for one message, with each segment located once. Terser finds a segment by walking the message
 * from its root and matching every structure's name against a regular expression, on every read; the SIU mapping
 * reads about thirty paths from a dozen segments, and that walk was a quarter of ingest's CPU. Paths from the root
 * ({@code /…}) keep their meaning when the segment is remembered; relative paths depend on where Terser's finder
 * last stood, so they go to Terser unchanged.
 */
final class SegmentReads {

    /** Field, repetition, component, subcomponent of each path the mappings use (Terser's own parsing). */
    private static final Map<String, int[]> INDICES = new ConcurrentHashMap<>();

    private final Terser terser;
    /** Segment spec → its Segment, or the HL7Exception locating it raised (the path fails the same way again). */
    private final Map<String, Object> segments = new HashMap<>();

    SegmentReads(Message message) {
        this.terser = new Terser(message);
    }

    /** As {@link Terser#get(String)}. */
    String get(String path) throws HL7Exception {
        if (!path.startsWith("/")) {
            return terser.get(path);
        }
        int dash = path.indexOf('-');
        Segment segment = segment(dash < 0 ? path : path.substring(0, dash));
        int[] i = indices(path);
        return Terser.get(segment, i[0], i[1], i[2], i[3]);
    }

    /** As {@link Terser#getSegment(String)}. */
    Segment segment(String spec) throws HL7Exception {
        if (!spec.startsWith("/")) {
            return terser.getSegment(spec);
        }
        Object found = segments.get(spec);
        if (found == null) {
            try {
                found = terser.getSegment(spec);
            } catch (HL7Exception e) {
                found = e;
            }
            segments.put(spec, found);
        }
        if (found instanceof HL7Exception e) {
            throw e;
        }
        return (Segment) found;
    }

    private static int[] indices(String path) throws HL7Exception {
        int[] cached = INDICES.get(path);
        if (cached == null) {
            cached = Terser.getIndices(path);
            INDICES.put(path, cached);
        }
        return cached;
    }
}
