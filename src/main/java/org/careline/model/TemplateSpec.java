package org.careline.model;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One approved WhatsApp message template, as configured for a message kind.
 *
 * @param name            the template name as approved in WhatsApp Manager
 * @param defaultLanguage Meta's language code used when the patient's language has no translation (e.g. "en_US")
 * @param languages       patient language (ISO 639-1, e.g. "es") to Meta's template language code (e.g. "es", "en_US")
 * @param bodyParameters  variable names filling the body's {{1}}, {{2}}, … in order
 * @param buttons         the template's quick-reply buttons in order, by the word their payload starts with
 *                        (CONFIRM, CHANGE, ...); each is sent the payload "WORD:&lt;appointment id&gt;"
 */
public record TemplateSpec(String name, String defaultLanguage, Map<String, String> languages,
                           List<String> bodyParameters, List<String> buttons) {

    public TemplateSpec(String name, String defaultLanguage, Map<String, String> languages,
                        List<String> bodyParameters) {
        this(name, defaultLanguage, languages, bodyParameters, List.of());
    }

    /** ISO 639-2 (three-letter, terminology form) to ISO 639-1, built from the JDK's own tables. */
    private static final Map<String, String> ISO3_TO_ISO2 = iso3ToIso2();

    public TemplateSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("template name is required");
        }
        if (defaultLanguage == null || defaultLanguage.isBlank()) {
            throw new IllegalArgumentException("template " + name + " needs a default language");
        }
        // Keys are matched lowercase, so normalise them once here.
        Map<String, String> normalised = new HashMap<>();
        if (languages != null) {
            languages.forEach((k, v) -> normalised.put(k.toLowerCase(Locale.ROOT), v));
        }
        languages = Map.copyOf(normalised);
        bodyParameters = bodyParameters == null ? List.of() : List.copyOf(bodyParameters);
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    /**
     * Meta's language code for a patient language: "es", "es-MX", "es_MX" and "spa" all find the "es" entry;
     * null, blank or unmapped languages get {@link #defaultLanguage()}.
     */
    public String languageCodeFor(String patientLanguage) {
        String spoken = spoken(patientLanguage);
        return spoken == null ? defaultLanguage : languages.get(spoken);
    }

    /**
     * The key of {@link #languages()} a language finds ("es-MX", "spa" → "es"), or null when this template has no
     * translation for it (or it is null or blank).
     */
    public String spoken(String language) {
        if (language == null || language.isBlank()) {
            return null;
        }
        String primary = language.trim().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        if (languages.containsKey(primary)) {
            return primary;
        }
        if (primary.length() == 3) {
            String twoLetter = ISO3_TO_ISO2.get(primary);
            return twoLetter != null && languages.containsKey(twoLetter) ? twoLetter : null;
        }
        return null;
    }

    private static Map<String, String> iso3ToIso2() {
        Map<String, String> map = new HashMap<>();
        for (String iso2 : Locale.getISOLanguages()) {
            try {
                map.putIfAbsent(Locale.forLanguageTag(iso2).getISO3Language(), iso2);
            } catch (java.util.MissingResourceException noIso3) {
                // a few codes have no three-letter form; they simply cannot be matched that way
            }
        }
        return Map.copyOf(map);
    }
}
