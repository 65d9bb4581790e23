package org.careline.config;

import org.careline.model.WritebackAction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * mappings/writeback.yaml: per patient request (confirm, change, cancel) the HL7 message sent to the scheduling
 * system, who it is from and to (MSH-3..6), and which fields carry what. Whether each path exists in the message
 * structure is checked by the builder at start ({@link #problem} gives it the file, line and key).
 */
public final class WritebackMapping {

    /** What a field may be filled with, from the appointment and patient as the scheduling system sent them. */
    public static final List<String> VALUES = List.of("placerId", "fillerId", "appointmentId", "patientId",
            "patientIdAuthority", "givenName", "familyName", "start", "duration", "serviceCode", "serviceName");

    private static final Pattern CODE = Pattern.compile("[A-Z0-9]{3}");
    private static final Pattern STRUCTURE = Pattern.compile("[A-Z0-9]{3}_[A-Z0-9]{2,3}");
    /** A HAPI Terser path to a field: segment (optionally within groups), field, optional component/sub-component. */
    private static final Pattern PATH =
            Pattern.compile("/(\\.)?([A-Z0-9_]+(\\(\\d+\\))?/)*[A-Z][A-Z0-9]{2}(\\(\\d+\\))?-\\d+(\\(\\d+\\))?(-\\d+){0,2}");

    record File(Header header, List<Field> fields, Map<String, ActionEntry> actions) {
    }

    record ActionEntry(String type, String trigger, String structure, List<Field> fields) {
    }

    /** MSH-3..6. Receiving application/facility absent: those that sent the appointment's SIU (its MSH-3/MSH-4). */
    public record Header(String sendingApplication, String sendingFacility, String receivingApplication,
                         String receivingFacility) {
    }

    /** One field the builder fills: a Terser path and either a named value or a fixed text. */
    public record Field(String path, String value, String text) {
    }

    /** One action's message: MSH-9 (type, trigger, structure) and its fields, each with its key in the file. */
    public record Message(String type, String trigger, String structure, List<KeyedField> fields) {
    }

    /** A field with the key it has in the file (e.g. actions.confirm.fields[1]), for error messages. */
    public record KeyedField(String key, Field field) {
    }

    private final Path file;
    private final Header header;
    private final Map<WritebackAction, Message> messages;

    private WritebackMapping(Path file, Header header, Map<WritebackAction, Message> messages) {
        this.file = file;
        this.header = header;
        this.messages = messages;
    }

    public static WritebackMapping load(Path dir) {
        Path path = dir.resolve("writeback.yaml");
        File f = YamlFiles.read(path, File.class);
        Header h = f.header();
        if (h == null) {
            throw YamlFiles.problem(path, "header", "missing");
        }
        for (String[] required : new String[][]{{"sendingApplication", h.sendingApplication()},
                {"sendingFacility", h.sendingFacility()}}) {
            if (required[1] == null || required[1].isBlank()) {
                throw YamlFiles.problem(path, "header." + required[0], "missing");
            }
        }
        List<KeyedField> common = fields(path, "fields", f.fields());
        if (f.actions() == null) {
            throw YamlFiles.problem(path, "actions", "missing");
        }
        for (String name : f.actions().keySet()) {
            if (action(name) == null) {
                throw YamlFiles.problem(path, "actions." + name, "not an action; known: " + names());
            }
        }
        Map<WritebackAction, Message> messages = new EnumMap<>(WritebackAction.class);
        for (WritebackAction action : WritebackAction.ANSWERS) {
            String key = "actions." + action.name().toLowerCase(Locale.ROOT);
            ActionEntry e = f.actions().get(action.name().toLowerCase(Locale.ROOT));
            if (e == null) {
                throw YamlFiles.problem(path, key, "missing");
            }
            check(path, key + ".type", e.type(), CODE, "a message type of three letters, e.g. SRM");
            check(path, key + ".trigger", e.trigger(), CODE, "a trigger event of three letters/digits, e.g. S03");
            check(path, key + ".structure", e.structure(), STRUCTURE, "a message structure such as SRM_S01");
            List<KeyedField> all = new ArrayList<>(common);
            all.addAll(fields(path, key + ".fields", e.fields()));
            messages.put(action, new Message(e.type(), e.trigger(), e.structure(), List.copyOf(all)));
        }
        return new WritebackMapping(path, h, messages);
    }

    public Header header() {
        return header;
    }

    public Message message(WritebackAction action) {
        return messages.get(action);
    }

    /** A problem with the value at {@code key}, naming this file and the key's line. */
    public MappingException problem(String key, String problem) {
        return YamlFiles.problem(file, key, problem);
    }

    private static List<KeyedField> fields(Path path, String key, List<Field> fields) {
        List<KeyedField> list = new ArrayList<>();
        if (fields == null) {
            return list;
        }
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            String k = key + "[" + i + "]";
            if (field.path() == null || field.path().isBlank()) {
                throw YamlFiles.problem(path, k + ".path", "missing");
            }
            if (!PATH.matcher(field.path()).matches()) {
                throw YamlFiles.problem(path, k + ".path", "'" + field.path() + "' is not a field path such as "
                        + "/ARQ-1-1 or /.PID-3-4-1");
            }
            if (field.path().matches("/\\.?MSH\\b.*")) {
                throw YamlFiles.problem(path, k + ".path", "MSH is filled by Careline (MSH-3..6 from 'header')");
            }
            if ((field.value() == null) == (field.text() == null)) {
                throw YamlFiles.problem(path, k, "give either 'value' (one of " + VALUES + ") or 'text', not "
                        + (field.value() == null ? "neither" : "both"));
            }
            if (field.value() != null && !VALUES.contains(field.value())) {
                throw YamlFiles.problem(path, k + ".value", "unknown value '" + field.value() + "'; known: " + VALUES);
            }
            list.add(new KeyedField(k, field));
        }
        return list;
    }

    private static void check(Path path, String key, String value, Pattern pattern, String what) {
        if (value == null || value.isBlank()) {
            throw YamlFiles.problem(path, key, "missing");
        }
        if (!pattern.matcher(value).matches()) {
            throw YamlFiles.problem(path, key, "'" + value + "' is not " + what);
        }
    }

    private static WritebackAction action(String name) {
        for (WritebackAction a : WritebackAction.ANSWERS) {
            if (a.name().toLowerCase(Locale.ROOT).equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (WritebackAction a : WritebackAction.ANSWERS) {
            names.add(a.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
