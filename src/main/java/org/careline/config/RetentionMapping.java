package org.careline.config;

import org.careline.model.DataClass;
import org.careline.model.RetentionRules;

import java.nio.file.Path;
import java.time.Period;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks mappings/retention.yaml into {@link RetentionRules}: one period per data class under
 * {@code keep:} ("12 months", "2 years", "400 days"); a class left out keeps the default of 12 months. A period
 * below 6 months for clinical communication is refused, naming the file, line and key.
 */
public final class RetentionMapping {

    public static final String FILE = "retention.yaml";
    private static final Pattern PERIOD = Pattern.compile("(\\d{1,4})\\s*(day|days|month|months|year|years)");

    record File(Map<String, String> keep) {
    }

    private RetentionMapping() {
    }

    public static RetentionRules load(Path dir) {
        Path file = dir.resolve(FILE);
        File f = YamlFiles.read(file, File.class);
        Map<DataClass, Period> periods = new EnumMap<>(DataClass.class);
        if (f.keep() != null) {
            f.keep().forEach((key, text) -> {
                DataClass d = dataClass(key);
                if (d == null) {
                    throw YamlFiles.problem(file, "keep." + key, "not a data class (one of " + keys() + ")");
                }
                Period p;
                try {
                    p = parse(text);
                } catch (IllegalArgumentException e) {
                    throw YamlFiles.problem(file, "keep." + key, e.getMessage());
                }
                String refusal = RetentionRules.refusal(d, p);
                if (refusal != null) {
                    throw YamlFiles.problem(file, "keep." + key, "'" + text + "' " + refusal);
                }
                periods.put(d, p);
            });
        }
        return new RetentionRules(periods);
    }

    /** "12 months", "2 years", "400 days" (singular too). */
    static Period parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = PERIOD.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a period (write e.g. 12 months, 2 years, 400 days)");
        }
        int n = Integer.parseInt(m.group(1));
        return switch (m.group(2)) {
            case "day", "days" -> Period.ofDays(n);
            case "month", "months" -> Period.ofMonths(n);
            default -> Period.ofYears(n);
        };
    }

    private static DataClass dataClass(String key) {
        for (DataClass d : DataClass.values()) {
            if (d.key().equals(key)) {
                return d;
            }
        }
        return null;
    }

    private static String keys() {
        StringBuilder b = new StringBuilder();
        for (DataClass d : DataClass.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(d.key());
        }
        return b.toString();
    }
}
