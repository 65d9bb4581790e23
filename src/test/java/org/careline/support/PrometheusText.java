package org.careline.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats),
 * written for the tests: it fails on anything the format does not allow, so a scrape that parses here is one a
 * Prometheus server reads. Checked: metric and label names by their grammar; label values quoted with only \\, \"
 * and \n escaped; a value as a Go float (NaN, +Inf, -Inf too) and an optional integer timestamp; at most one HELP and
 * one TYPE per family, TYPE before the family's first sample; a family's samples together (not interleaved with
 * another's); no series twice; no label twice in one sample; summaries' and histograms' own suffixes.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*";
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static final class Family {
        public final String name;
        public String type = "untyped";
        public String help;
        public final List<Sample> samples = new ArrayList<>();
        boolean typed;
        boolean closed;

        Family(String name) {
            this.name = name;
        }

        /** The sum of the samples named {@code sample} whose labels include every pair given (name, value, …). */
        public double sum(String sample, String... labelPairs) {
            double total = 0;
            for (Sample s : matching(sample, labelPairs)) {
                total += s.value();
            }
            return total;
        }

        public List<Sample> matching(String sample, String... labelPairs) {
            List<Sample> out = new ArrayList<>();
            for (Sample s : samples) {
                if (s.name().equals(sample) && has(s.labels(), labelPairs)) {
                    out.add(s);
                }
            }
            return out;
        }

        private static boolean has(Map<String, String> labels, String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    public static final class Invalid extends RuntimeException {
        Invalid(int line, String what) {
            super("line " + line + ": " + what);
        }
    }

    private PrometheusText() {
    }

    /** Families by name, in the order they appear. */
    public static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> series = new java.util.HashSet<>();
        Family current = null;
        String[] lines = text.split("\n", -1);
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!name.matches(NAME)) {
                        throw new Invalid(n, "bad metric name in " + parts[1] + ": " + name);
                    }
                    Family f = families.computeIfAbsent(name, Family::new);
                    if (f.closed || !f.samples.isEmpty()) {
                        throw new Invalid(n, parts[1] + " for " + name + " after its samples");
                    }
                    if (current != null && current != f && !current.samples.isEmpty()) {
                        current.closed = true;
                    }
                    current = f;
                    if (parts[1].equals("HELP")) {
                        if (f.help != null) {
                            throw new Invalid(n, "second HELP for " + name);
                        }
                        f.help = parts.length == 4 ? unescape(parts[3], false, n) : "";
                    } else {
                        if (f.typed) {
                            throw new Invalid(n, "second TYPE for " + name);
                        }
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new Invalid(n, "bad TYPE line: " + line);
                        }
                        f.type = parts[3];
                        f.typed = true;
                    }
                }
                continue;
            }
            Sample s = sample(line, n);
            Family f = familyOf(families, s.name());
            if (f == null) {
                f = families.computeIfAbsent(s.name(), Family::new);
            }
            if (f.closed) {
                throw new Invalid(n, "samples of " + f.name + " are not together");
            }
            if (current != null && current != f) {
                current.closed = true;
            }
            current = f;
            checkSuffix(f, s, n);
            if (!series.add(s.name() + s.labels())) {
                throw new Invalid(n, "series twice: " + s.name() + s.labels());
            }
            f.samples.add(s);
        }
        return families;
    }

    private static Family familyOf(Map<String, Family> families, String sample) {
        Family f = families.get(sample);
        if (f != null) {
            return f;
        }
        for (String suffix : new String[]{"_bucket", "_sum", "_count"}) {
            if (sample.endsWith(suffix)) {
                Family base = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (base != null && (base.type.equals("summary") || base.type.equals("histogram"))) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void checkSuffix(Family f, Sample s, int n) {
        if (f.type.equals("histogram") && s.name().equals(f.name + "_bucket") && !s.labels().containsKey("le")) {
            throw new Invalid(n, "histogram bucket without le");
        }
        if (f.type.equals("summary") && s.name().equals(f.name) && !s.labels().containsKey("quantile")) {
            throw new Invalid(n, "summary sample without quantile");
        }
        if (f.type.equals("histogram") && s.name().equals(f.name)) {
            throw new Invalid(n, "histogram sample without a suffix");
        }
    }

    private static Sample sample(String line, int n) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches(NAME)) {
            throw new Invalid(n, "bad metric name: " + name);
        }
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new Invalid(n, "label without =");
                }
                String label = line.substring(i, eq);
                if (!label.matches(LABEL)) {
                    throw new Invalid(n, "bad label name: " + label);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new Invalid(n, "label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (true) {
                    if (j >= line.length()) {
                        throw new Invalid(n, "label value not closed");
                    }
                    char c = line.charAt(j);
                    if (c == '\\') {
                        if (j + 1 >= line.length()) {
                            throw new Invalid(n, "escape at end of line");
                        }
                        char e = line.charAt(j + 1);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new Invalid(n, "bad escape \\" + e);
                        });
                        j += 2;
                    } else if (c == '"') {
                        j++;
                        break;
                    } else {
                        value.append(c);
                        j++;
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new Invalid(n, "label twice: " + label);
                }
                i = j;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new Invalid(n, "expected , or } after a label");
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new Invalid(n, "no value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) {
            throw new Invalid(n, "expected a value and at most a timestamp: " + line);
        }
        double value = number(rest[0], n);
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
            throw new Invalid(n, "bad timestamp: " + rest[1]);
        }
        return new Sample(name, labels, value);
    }

    private static double number(String v, int n) {
        switch (v) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!v.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new Invalid(n, "bad value: " + v);
                }
                return Double.parseDouble(v);
        }
    }

    /** HELP text: only \\ and \n are escapes there. */
    private static String unescape(String s, boolean quotes, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                if (e == '\\') {
                    b.append('\\');
                } else if (e == 'n') {
                    b.append('\n');
                } else if (quotes && e == '"') {
                    b.append('"');
                } else {
                    b.append('\\').append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
