package org.careline.config;

/**
 * One environment variable Careline reads, declared once in {@link SettingsCatalog}: its name, its type and range as
 * an analyst reads them, its default, whether it is a secret, the route property it is copied to (if any) and what
 * it means. Start-up validation, the configuration table in docs/configuration.md, and the
 * {@code config} command are all produced from these declarations, so they cannot drift apart.
 *
 * @param <T> what the variable becomes once read (Integer, String, Path, ZoneId, ...)
 */
public final class Setting<T> {

    /** Turns a variable's value into what {@link Settings} exposes, or throws an IllegalArgumentException naming it. */
    @FunctionalInterface
    interface Reader<T> {
        /**
         * @param raw     the trimmed value, or null when the variable is unset or blank (then the default applies)
         * @param earlier the settings declared before this one, for the few rules that compare two of them
         */
        T read(String raw, SettingValues earlier);
    }

    private final String name;
    private final String type;
    private final String defaultText;
    private final boolean secret;
    private final String property;
    private final String description;
    private final Reader<T> reader;

    Setting(String name, String type, String defaultText, boolean secret, String property, String description,
            Reader<T> reader) {
        this.name = name;
        this.type = type;
        this.defaultText = defaultText;
        this.secret = secret;
        this.property = property;
        this.description = description;
        this.reader = reader;
    }

    /** The environment variable, e.g. CARELINE_MLLP_PORT. */
    public String name() {
        return name;
    }

    /** Type and allowed range as the documentation shows them, e.g. "port, 1–65535". */
    public String type() {
        return type;
    }

    /** The default as the documentation shows it (Markdown), e.g. "`2575`" or "unset → sandbox". */
    public String defaultText() {
        return defaultText;
    }

    /** A secret is never printed: {@code config} shows it as **** when set. */
    public boolean secret() {
        return secret;
    }

    /** The Camel property the routes read this value from (copied verbatim), or null when none is. */
    public String property() {
        return property;
    }

    /** What the variable does, in the words of the configuration table. */
    public String description() {
        return description;
    }

    T read(String raw, SettingValues earlier) {
        return reader.read(raw, earlier);
    }

    @Override
    public String toString() {
        return name;
    }
}
