package org.careline.config;

/**
 * The configuration table of docs/configuration.md, printed from {@link SettingsCatalog}. The file
 * holds it between {@link #BEGIN} and {@link #END}; SettingsDocsTest fails when it differs from {@link #table()}.
 */
public final class SettingsDocs {

    public static final String BEGIN = "<!-- settings-table:begin -->";
    public static final String END = "<!-- settings-table:end -->";

    private SettingsDocs() {
    }

    /** One Markdown row per setting, in catalog order. */
    public static String table() {
        StringBuilder out = new StringBuilder("| variable | type | default | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : SettingsCatalog.ALL) {
            out.append("| `").append(s.name()).append("` | ").append(cell(s.type())).append(" | ")
                    .append(cell(s.defaultText())).append(" | ").append(cell(s.description())).append(" |\n");
        }
        return out.toString();
    }

    /** {@code text} with whatever stands between the markers replaced by the current table. */
    public static String withTable(String text) {
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no " + BEGIN + " … " + END + " markers");
        }
        return text.substring(0, begin + BEGIN.length()) + "\n" + table() + text.substring(end);
    }

    private static String cell(String text) {
        // A | inside a cell would end it.
        return text.replace("|", "\\|");
    }
}
