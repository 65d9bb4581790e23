package org.careline.ingest.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.Terser;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private final Message message;
    private final Terser terser;
    /** Segment spec → its Segment, or the HL7Exception locating it raised (the path fails the same way again). */
    private final Map<String, Object> segments = new HashMap<>();
    /** Built on the first {@code /.XXX} read: the names of the segments the message holds. */
    private Set<String> presentNames;

    /** "/.PID": a segment of that name anywhere in the message, the form every shipped mapping uses. */
    private static final Pattern ANYWHERE = Pattern.compile("/\\.([A-Z][A-Z0-9]{2})");

    SegmentReads(Message message) {
        this.message = message;
        this.terser = new Terser(message);
    }

    /** As {@link Terser#get(String)}; null also where the segment is not in the message at all. */
    String get(String path) throws HL7Exception {
        if (!path.startsWith("/")) {
            return terser.get(path);
        }
        int dash = path.indexOf('-');
        int[] i = indices(path);
        Segment segment;
        try {
            segment = segment(dash < 0 ? path : path.substring(0, dash));
        } catch (AbsentSegmentException e) {
            return null;
        }
        return Terser.get(segment, i[0], i[1], i[2], i[3]);
    }

    /**
     * As {@link Terser#getSegment(String)}, except that a {@code /.XXX} segment the message does not contain throws
     * {@link AbsentSegmentException} (a read of it has no value either way) instead of being searched for through
     * the whole message structure, which also instantiates empty groups on the way: the costliest reads, since a
     * mapping lists several places a value may be and most messages fill only some of them.
     */
    Segment segment(String spec) throws HL7Exception {
        if (!spec.startsWith("/")) {
            return terser.getSegment(spec);
        }
        Object found = segments.get(spec);
        if (found == null) {
            try {
                found = locate(spec);
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

    private Segment locate(String spec) throws HL7Exception {
        Matcher anywhere = ANYWHERE.matcher(spec);
        if (!anywhere.matches()) {
            return terser.getSegment(spec);
        }
        if (!present().contains(anywhere.group(1))) {
            throw new AbsentSegmentException(anywhere.group(1));
        }
        // Present: Terser decides which instance, so the answer stays exactly Terser's.
        return terser.getSegment(spec);
    }

    /** The names of the segments the message holds, read from what was parsed (nothing is instantiated). */
    private Set<String> present() throws HL7Exception {
        if (presentNames == null) {
            presentNames = new HashSet<>();
            collect(message, presentNames);
        }
        return presentNames;
    }

    private static void collect(Group group, Set<String> into) throws HL7Exception {
        for (String name : group.getNames()) {
            for (Structure s : group.getAll(name)) {
                if (s instanceof Segment seg) {
                    into.add(seg.getName());
                } else if (s instanceof Group g) {
                    collect(g, into);
                }
            }
        }
    }

    /** The message has no instance of this segment: every read of it has no value. */
    static final class AbsentSegmentException extends HL7Exception {
        AbsentSegmentException(String segment) {
            super("no " + segment + " segment in the message");
        }
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
