package org.careline.ingest.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * MSH-9 and MSH-12 as they may appear in a log line: the value itself only when it is a known code, else
 * {@code unknown} with its length. A sender controls these fields, and whatever they put there would otherwise be
 * written into our logs as is. Known: a message structure or trigger event HAPI knows (its class for HL7 2.5 or 2.8,
 * or its event map), or one of the {@code extra} codes our mappings accept; versions 2.1 to 2.8.x.
 */
public final class Hl7Codes {

    private static final Pattern TYPE = Pattern.compile("[A-Z]{3}");
    private static final Pattern EVENT = Pattern.compile("[A-Z][A-Z0-9]{2}");
    private static final Pattern VERSION = Pattern.compile("2\\.[1-8](\\.[0-9]{1,2})?");
    private static final String[] HAPI_VERSIONS = {"v25", "v28"};

    // Grown by hapiKnows while messages are logged on several connections at once.
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Set<String> knownTypes = ConcurrentHashMap.newKeySet();

    /** @param extra "TYPE^EVENT" codes our mappings accept (e.g. SIU^S12), known whatever HAPI says */
    public Hl7Codes(Set<String> extra) {
        for (String v : new String[]{"2.5", "2.8"}) {
            // Events that share another event's structure (ADT_A04 → ADT_A01): both names are known codes.
            try (InputStream in = Hl7Codes.class.getResourceAsStream("/ca/uhn/hl7v2/parser/eventmap/" + v
                    + ".properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    try (Reader r = new InputStreamReader(in, StandardCharsets.ISO_8859_1)) {
                        p.load(r);
                    }
                    for (String k : p.stringPropertyNames()) {
                        add(k.trim());
                        add(p.getProperty(k).trim());
                    }
                }
            } catch (IOException e) {
                // without the map, codes with a class of their own are still known
            }
        }
        for (String code : extra) {
            add(code.replace('^', '_'));
        }
    }

    private void add(String structure) {
        int u = structure.indexOf('_');
        if (u == 3 && structure.length() == 7) {
            known.add(structure);
            knownTypes.add(structure.substring(0, 3));
        }
    }

    /** "SIU^S12" when known, "ACK" for a known type without event, else "unknown(len=N)". */
    public String messageType(MshHeader h) {
        if (h == null) {
            return "?";
        }
        String type = h.messageType();
        String event = h.triggerEvent();
        if (type != null && TYPE.matcher(type).matches()) {
            if ((event == null || event.isEmpty()) && (knownTypes.contains(type) || hapiKnows(type))) {
                return type;
            }
            if (event != null && EVENT.matcher(event).matches()
                    && (known.contains(type + "_" + event) || hapiKnows(type + "_" + event))) {
                return type + "^" + event;
            }
        }
        int length = (type == null ? 0 : type.length()) + (event == null ? 0 : event.length() + 1);
        return "unknown(len=" + length + ")";
    }

    /** "2.5.1" when an HL7 v2 version from 2.1 to 2.8.x, else "unknown(len=N)". */
    public static String version(String version) {
        if (version != null && VERSION.matcher(version).matches()) {
            return version;
        }
        return "unknown(len=" + (version == null ? 0 : version.length()) + ")";
    }

    /** HAPI has a message class of this name (the name is checked against the pattern before it gets here). */
    private boolean hapiKnows(String structure) {
        for (String v : HAPI_VERSIONS) {
            try {
                Class.forName("ca.uhn.hl7v2.model." + v + ".message." + structure, false,
                        Hl7Codes.class.getClassLoader());
                add(structure);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this version
            }
        }
        return false;
    }
}
