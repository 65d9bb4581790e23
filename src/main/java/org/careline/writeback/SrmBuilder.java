package org.careline.writeback;

import org.careline.model.WritebackSubject;
import org.careline.model.WritebackAction;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.GenericMessage;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.careline.config.WritebackMapping;
import org.careline.config.WritebackMapping.KeyedField;
import org.careline.ingest.hl7.Hl7Receiver;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the message for one write-back request as mappings/writeback.yaml says (pure: no I/O, no clock of its own),
 * in the HL7 version of the appointment's feed, and returns it encoded as ER7 (segments separated by CR).
 */
public final class SrmBuilder {

    /** Used when the feed's version is unknown or not HL7 v2. */
    public static final String DEFAULT_VERSION = "2.5";

    private static final DateTimeFormatter MSH_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern FIELD_PATH =
            Pattern.compile("(.*?)-(\\d+)(?:\\(\\d+\\))?(?:-(\\d+))?(?:-(\\d+))?");

    /** The HAPI structures a message is built with, and the version MSH-12 declares. */
    public record Version(String structures, String declared) {
    }

    private final WritebackMapping mapping;
    private final HapiContext hapi;

    /** Checks every action's structure and field paths now, so a mapping mistake stops the engine at start. */
    public SrmBuilder(WritebackMapping mapping) {
        this.mapping = mapping;
        this.hapi = new DefaultHapiContext();
        // The builder sets what the mapping says; the receiving system checks what it needs itself.
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        check();
    }

    /**
     * The message for {@code action} about {@code subject}.
     *
     * @throws IllegalStateException when the mapping cannot be applied in the feed's version (a path that exists
     *                               only in other versions); the message names the key, never a value
     */
    public String build(WritebackAction action, WritebackSubject subject, String controlId, Instant now) {
        WritebackMapping.Message spec = mapping.message(action);
        Version version = version(subject.feedVersion(), spec.structure());
        if (version == null) {
            throw new IllegalStateException("no HL7 version has message structure " + spec.structure());
        }
        try {
            Message message = hapi.newMessage(messageClass(spec.structure(), version.structures()));
            Terser t = new Terser(message);
            WritebackMapping.Header h = mapping.header();
            t.set("/MSH-1", "|");
            t.set("/MSH-2", "^~\\&");
            setComponents(t, "/MSH-3", h.sendingApplication());
            setComponents(t, "/MSH-4", h.sendingFacility());
            setComponents(t, "/MSH-5", h.receivingApplication() != null ? h.receivingApplication() : subject.feedApplication());
            setComponents(t, "/MSH-6", h.receivingFacility() != null ? h.receivingFacility() : subject.feedFacility());
            t.set("/MSH-7", MSH_TIME.format(now));
            t.set("/MSH-9-1", spec.type());
            t.set("/MSH-9-2", spec.trigger());
            if (components(t.getSegment("/MSH").getField(9, 0)) >= 3) { // MSH-9.3 exists from v2.3.1 on
                t.set("/MSH-9-3", spec.structure());
            }
            t.set("/MSH-10", controlId);
            t.set("/MSH-11-1", "P");
            t.set("/MSH-12", version.declared());
            for (KeyedField f : spec.fields()) {
                String value = f.field().text() != null ? f.field().text() : subject.value(f.field().value());
                if (value == null || value.isEmpty()) {
                    continue;
                }
                try {
                    t.set(f.field().path(), value);
                } catch (HL7Exception | RuntimeException e) {
                    throw new IllegalStateException("key '" + f.key() + "' cannot be set in HL7 v" + version.structures()
                            + " " + spec.structure() + ": " + e.getMessage());
                }
            }
            String er7 = message.encode();
            if (!er7.chars().allMatch(c -> c < 0x80)) {
                t.set("/MSH-18", "UNICODE UTF-8"); // the sender writes the message as UTF-8
                er7 = message.encode();
            }
            return er7;
        } catch (HL7Exception e) {
            throw new IllegalStateException("could not build " + spec.type() + "^" + spec.trigger() + " in HL7 v"
                    + version.structures() + ": " + e.getMessage());
        }
    }

    /**
     * The version to build in for a feed that sent {@code feedVersion}: its nearest structure version (as incoming
     * messages are parsed), MSH-12 declaring the feed's own version; 2.5 when unknown. If those structures lack the
     * message structure (SRM_S01 is not in v2.2), the nearest version that has it, declared as such. Null if none.
     */
    public Version version(String feedVersion, String structure) {
        String v = feedVersion == null ? null : feedVersion.trim();
        String nearest = v == null ? null : Hl7Receiver.nearestStructureVersion(v);
        String base = nearest == null ? DEFAULT_VERSION : nearest;
        if (has(structure, base)) {
            return new Version(base, nearest == null ? DEFAULT_VERSION : v);
        }
        List<String> all = Hl7Receiver.STRUCTURE_VERSIONS;
        int at = all.indexOf(base);
        for (int i = at + 1; i < all.size(); i++) {
            if (has(structure, all.get(i))) {
                return new Version(all.get(i), all.get(i));
            }
        }
        for (int i = at - 1; i >= 0; i--) {
            if (has(structure, all.get(i))) {
                return new Version(all.get(i), all.get(i));
            }
        }
        return null;
    }

    private boolean has(String structure, String version) {
        try {
            Class<? extends Message> c = messageClass(structure, version);
            return c != null && !GenericMessage.class.isAssignableFrom(c); // HAPI's stand-in for "none"
        } catch (HL7Exception | RuntimeException e) {
            return false;
        }
    }

    private Class<? extends Message> messageClass(String structure, String version) throws HL7Exception {
        return hapi.getModelClassFactory().getMessageClass(structure, version, true);
    }

    /** Builds each action's message once in the version used when the feed's is unknown, checking every path. */
    private void check() {
        for (WritebackAction action : WritebackAction.ANSWERS) {
            String key = "actions." + action.name().toLowerCase(Locale.ROOT);
            WritebackMapping.Message spec = mapping.message(action);
            Version version = version(null, spec.structure());
            if (version == null) {
                throw mapping.problem(key + ".structure", "HAPI knows no message structure '" + spec.structure()
                        + "' in any HL7 version from " + Hl7Receiver.STRUCTURE_VERSIONS.get(0) + " to "
                        + Hl7Receiver.STRUCTURE_VERSIONS.get(Hl7Receiver.STRUCTURE_VERSIONS.size() - 1));
            }
            Message message;
            try {
                message = hapi.newMessage(messageClass(spec.structure(), version.structures()));
            } catch (HL7Exception | RuntimeException e) {
                throw mapping.problem(key + ".structure", "cannot create " + spec.structure() + ": " + e.getMessage());
            }
            Terser t = new Terser(message);
            for (KeyedField f : spec.fields()) {
                String problem = checkPath(t, f.field().path());
                if (problem != null) {
                    throw mapping.problem(f.key() + ".path", "'" + f.field().path() + "' " + problem + " in HL7 v"
                            + version.structures() + " " + spec.structure());
                }
            }
        }
        // A sample of every action, to be sure the whole message encodes.
        WritebackSubject sample = new WritebackSubject("APP|FAC", null, "1", "1", "1", "1", "1", "A", "B",
                Instant.EPOCH, 30, "1", "A");
        for (WritebackAction action : WritebackAction.ANSWERS) {
            build(action, sample, "1", Instant.EPOCH);
        }
    }

    /** Why the path cannot be filled in this message structure, or null if it can. */
    private static String checkPath(Terser t, String path) {
        Matcher m = FIELD_PATH.matcher(path);
        if (!m.matches()) {
            return "is not a field path";
        }
        try {
            Segment segment = t.getSegment(m.group(1));
            int field = Integer.parseInt(m.group(2));
            if (field < 1 || field > segment.numFields()) {
                return "names field " + field + " but " + segment.getName() + " has fields 1 to " + segment.numFields();
            }
            Type type = segment.getField(field, 0);
            if (m.group(3) != null) {
                int component = Integer.parseInt(m.group(3));
                int count = components(type);
                if (component < 1 || component > count) {
                    return "names component " + component + " but " + segment.getName() + "-" + field + " has "
                            + count;
                }
                if (m.group(4) != null && type instanceof Composite c) {
                    int sub = Integer.parseInt(m.group(4));
                    int subs = components(c.getComponent(component - 1));
                    if (sub < 1 || sub > subs) {
                        return "names sub-component " + sub + " but " + segment.getName() + "-" + field + "-"
                                + component + " has " + subs;
                    }
                }
            }
            t.set(path, "1");
            return null;
        } catch (HL7Exception | RuntimeException e) {
            return "does not fit (" + e.getMessage() + ")";
        }
    }

    /** How many components a value has: a composite's count, 1 for a primitive, unlimited for Varies. */
    private static int components(Type type) {
        if (type instanceof Composite c) {
            return c.getComponents().length;
        }
        if (type instanceof Primitive) {
            return 1;
        }
        return Integer.MAX_VALUE;
    }

    /** Sets an HD-like value given as text with ^ between its components (e.g. CARELINE^1.2.3^ISO). */
    private static void setComponents(Terser t, String path, String text) throws HL7Exception {
        if (text == null || text.isEmpty()) {
            return;
        }
        String[] parts = text.split("\\^", -1);
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                t.set(path + "-" + (i + 1), parts[i]);
            }
        }
    }
}
