package org.careline.contact;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A patient's language as feeds write it (en, EN, eng, en-US, "ara^...", nl-NL) → ISO 639-1 where one exists, the
 * form templates.yaml keys its languages by. HL7 and FHIR feeds read a language the same way.
 */
public final class LanguageCodes {

    private static final Map<String, String> ISO_639_1_BY_639_2 = iso639();

    private LanguageCodes() {
    }

    private static Map<String, String> iso639() {
        Map<String, String> m = new HashMap<>();
        for (String iso : Locale.getISOLanguages()) {
            m.putIfAbsent(new Locale(iso).getISO3Language(), iso);
        }
        return Map.copyOf(m);
    }

    /** The ISO 639-1 code for {@code raw}, its own primary subtag when there is none, null for nothing. */
    public static String iso639(String raw) {
        if (raw == null) {
            return null;
        }
        String code = raw.trim().toLowerCase(Locale.ROOT).split("[-_]")[0];
        if (code.length() == 3) {
            String iso = ISO_639_1_BY_639_2.get(code);
            if (iso != null) {
                return iso;
            }
        }
        return code.isEmpty() ? null : code;
    }
}
