package org.careline.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of {@link SettingsCatalog} read from one environment: its value, whether the environment set it,
 * and every problem found (in catalog order), so that {@code validate} can report them all while the engine stops
 * at the first. A setting whose value is wrong holds its default here, so the checks after it can still run.
 */
public final class SettingValues {

    /** Where a value came from, as the {@code config} command says it. */
    public enum Source {
        ENVIRONMENT, DEFAULT;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private final Map<Setting<?>, Source> sources = new LinkedHashMap<>();
    private final Map<Setting<?>, String> problems = new LinkedHashMap<>();

    private SettingValues() {
    }

    /** Reads every catalog entry from {@code env}; blank values count as unset and values are trimmed. */
    public static SettingValues read(Map<String, String> env) {
        SettingValues result = new SettingValues();
        for (Setting<?> setting : SettingsCatalog.ALL) {
            String raw = env.get(setting.name());
            raw = raw == null || raw.isBlank() ? null : raw.trim();
            result.sources.put(setting, raw == null ? Source.DEFAULT : Source.ENVIRONMENT);
            Object value;
            try {
                value = setting.read(raw, result);
            } catch (IllegalArgumentException e) {
                result.problems.put(setting, namingTheVariable(setting, e));
                value = result.defaultOf(setting);
            }
            result.values.put(setting, value);
        }
        return result;
    }

    /**
     * Every problem starts with the variable's name, so whoever reads it knows what to change: the catalog's rules
     * say so themselves; anything else a reader throws (a path the file system refuses) is prefixed here.
     */
    static String namingTheVariable(Setting<?> setting, IllegalArgumentException e) {
        String message = e.getMessage() == null ? "is not valid" : e.getMessage().split("\n", 2)[0];
        // Rules comparing two settings may start with the other one's name; the variable still appears.
        return message.contains(setting.name()) ? message : setting.name() + ": " + message;
    }

    private Object defaultOf(Setting<?> setting) {
        try {
            return setting.read(null, this);
        } catch (IllegalArgumentException e) {
            // The default itself conflicts with another setting (a send lease not above a long send timeout).
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    public Source source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** The problem with this setting's value, or null when it is fine. */
    public String problem(Setting<?> setting) {
        return problems.get(setting);
    }

    /** Every problem, one message each, in catalog order. */
    public List<String> problems() {
        // A problem may quote the value it found: a URL's credentials are masked there too.
        return problems.values().stream().map(UrlCredentials::mask).toList();
    }

    /** The value as {@code config} prints it: secrets as **** when set, (unset) for no value. */
    public String display(Setting<?> setting) {
        Object value = values.get(setting);
        boolean unset = value == null || value.toString().isEmpty();
        if (problems.containsKey(setting)) {
            return "(invalid)";
        }
        if (unset) {
            return "(unset)";
        }
        return setting.secret() ? "****" : UrlCredentials.mask(value.toString());
    }

    /** The properties the routes read, each copied verbatim from its setting (see {@link Setting#property()}). */
    public Map<String, String> routeProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Setting<?> setting : SettingsCatalog.ALL) {
            if (setting.property() != null) {
                properties.put(setting.property(), String.valueOf(values.get(setting)));
            }
        }
        return properties;
    }
}
