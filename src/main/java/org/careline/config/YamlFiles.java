package org.careline.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads one file under mappings/ into a record, failing with the file, line and key of the first problem. */
final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static {
        // "S12:" or "- " with nothing after it, inside a map or a list, is a slip, not a value: fail on its key
        // here rather than with a NullPointerException in the checks that follow.
        YAML.configOverride(Map.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        YAML.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    }

    private YamlFiles() {
    }

    static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new MappingException(file, 0, null, "file not found", null);
        }
        try {
            T value = YAML.readValue(file.toFile(), type);
            if (value == null) {
                throw new MappingException(file, 0, null, "file is empty", null);
            }
            return value;
        } catch (JsonProcessingException e) {
            List<JsonMappingException.Reference> path = e instanceof JsonMappingException m ? m.getPath() : List.of();
            String key = key(path);
            MarkedYAMLException syntax = syntaxError(e);
            if (syntax != null) {
                // Not YAML: SnakeYAML's message spans several lines with a caret drawing; keep it to one line.
                String context = syntax.getContext() == null || syntax.getContextMark() == null ? ""
                        : " (" + syntax.getContext() + " at line " + (syntax.getContextMark().getLine() + 1) + ")";
                throw new MappingException(file, syntax.getProblemMark().getLine() + 1, key,
                        "not valid YAML: " + syntax.getProblem() + context, e);
            }
            // Jackson reports where its parser was when it noticed; for records that is after the whole object,
            // so find the line of the key itself.
            int line = lineOf(file, path);
            if (line < 0 && e.getLocation() != null) {
                line = e.getLocation().getLineNr();
            }
            if (isEmptyFile(e)) {
                throw new MappingException(file, 0, null, "the file is empty", e);
            }
            throw new MappingException(file, line, key, inPlainWords(e), e);
        } catch (IOException e) {
            throw new MappingException(file, 0, null, e.getMessage(), e);
        }
    }

    /**
     * A problem found after reading (a value that is not allowed, a path that does not exist): the file, the line of
     * {@code key} (written as analysts read it, e.g. actions.confirm.fields[1].path) when it can be found, the key.
     */
    static MappingException problem(Path file, String key, String problem) {
        List<JsonMappingException.Reference> path = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]").matcher(key);
        while (m.find()) {
            path.add(m.group(1) != null ? new JsonMappingException.Reference(null, m.group(1))
                    : new JsonMappingException.Reference(null, Integer.parseInt(m.group(2))));
        }
        int line = lineOf(file, path);
        return new MappingException(file, line, key, problem, null);
    }

    /**
     * One value of an already read file as {@code type} (a piece's field, read as sources or as a list of codes
     * depending on its name), failing as {@link #read} does, with the key of the value inside the file.
     */
    static <T> T convert(Path file, String key, Object value, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        try {
            return YAML.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            List<JsonMappingException.Reference> inner = e.getCause() instanceof JsonMappingException m
                    ? m.getPath() : List.of();
            String at = key + (inner.isEmpty() || inner.get(0).getFieldName() == null ? "" : ".") + key(inner);
            String problem = e.getCause() instanceof JsonMappingException m ? inPlainWords(m) : e.getMessage();
            throw problem(file, at, problem);
        }
    }

    /**
     * Jackson's account of a value of the wrong shape, in an analyst's words ("expected a list, got a text ('x')"):
     * its own words name Java classes and constructors, which say nothing to whoever edits the file. The one place
     * where mapping errors are worded; file, line and key are added by {@link MappingException}.
     */
    static String inPlainWords(JsonProcessingException e) {
        if (e instanceof InvalidNullException) {
            return "no value given";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "unknown key '" + u.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : "; the keys allowed here are " + String.join(", ", known));
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
            // A record's own check refused the value: its message is already written for analysts.
            return e.getCause().getMessage();
        }
        if (isEmptyFile(e)) {
            return "the file is empty";
        }
        if (e instanceof InvalidFormatException f) {
            return "expected " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + expected(m.getTargetType()) + ", got " + found(m.getOriginalMessage());
        }
        // Anything else: Jackson's words without the Java package names.
        return String.valueOf(e.getOriginalMessage()).replaceAll("`?(?:[a-z]+\\.)+(?:[A-Za-z]+\\$)?([A-Za-z]+)`?", "$1");
    }

    private static boolean isEmptyFile(JsonProcessingException e) {
        return e instanceof MismatchedInputException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("No content to map");
    }

    /** What a Java type is, in the words of a YAML file. */
    private static String expected(Class<?> type) {
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()
                    .toLowerCase(java.util.Locale.ROOT)).toList();
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a text";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        // A map, or a record read from one: indented "key: value" lines.
        return "keys with values (key: value lines)";
    }

    private static final java.util.regex.Pattern FOUND = java.util.regex.Pattern.compile(
            "from (String|Array|Object|Integer|Number|Floating-point|Boolean|Null) value(?: \\(('.*'|[^)`]*)\\))?");

    /** What the file held instead, read from Jackson's message ("from String value ('oops')"). */
    private static String found(String jackson) {
        java.util.regex.Matcher m = FOUND.matcher(jackson == null ? "" : jackson);
        if (!m.find()) {
            return "a value of another kind";
        }
        String quoted = m.group(2) == null || m.group(2).startsWith("token") ? null : m.group(2);
        // A long text pasted in the wrong place is shown by its start: enough to find it.
        String value = quoted == null ? "" : " (" + (quoted.length() > 42 ? quoted.substring(0, 40) + "…'" : quoted) + ")";
        return switch (m.group(1)) {
            case "String" -> "a text" + value;
            case "Array" -> "a list";
            case "Object" -> "keys with values";
            case "Integer", "Number", "Floating-point" -> "a number" + value;
            case "Boolean" -> "true or false" + value;
            default -> "nothing";
        };
    }

    /** A Jackson path as analysts read it: sites.main.policy.reminders[0]. */
    private static String key(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static MarkedYAMLException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                return m;
            }
        }
        return null;
    }

    /**
     * 1-based line of the last key or list item on {@code path}; for a key that is not in the file, the line of its
     * nearest parent that is (a missing template kind points at {@code templates:}); -1 if not even the first is.
     */
    private static int lineOf(Path file, List<JsonMappingException.Reference> path) {
        if (path.isEmpty()) {
            return -1;
        }
        try (Reader in = Files.newBufferedReader(file)) {
            Node node = new Yaml().compose(in);
            Node at = null;
            for (JsonMappingException.Reference r : path) {
                if (node instanceof MappingNode map && r.getFieldName() != null) {
                    NodeTuple found = null;
                    for (NodeTuple t : map.getValue()) {
                        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(r.getFieldName())) {
                            found = t;
                        }
                    }
                    if (found == null) {
                        break; // a key that is missing: point at the nearest one that is there
                    }
                    at = found.getKeyNode();
                    node = found.getValueNode();
                } else if (node instanceof SequenceNode seq && r.getFieldName() == null
                        && r.getIndex() >= 0 && r.getIndex() < seq.getValue().size()) {
                    node = seq.getValue().get(r.getIndex());
                    at = node;
                } else {
                    break;
                }
            }
            return at == null ? -1 : at.getStartMark().getLine() + 1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
