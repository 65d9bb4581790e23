package org.careline.send;

import org.careline.model.TemplateSpec;

import java.util.Locale;

/**
 * The language one message goes in, and the locale its dates and times are written in.
 *
 * <p>The patient's language (PID-15, a FHIR Patient's communication) when the template speaks it; otherwise the
 * site's language when the template speaks that; otherwise the template's default language. The locale is that
 * language with the site's country, so dates read as they do where the patient is seen (en-US at a US site,
 * en-GB in London, fr-FR in Paris) and a patient whose feed gives no language is written to exactly as one whose
 * feed gives the site's language.
 *
 * @param language ISO 639-1 ("fr"): the template's translation to send
 * @param locale   language and site country, for dates and times
 */
public record MessageLanguage(String language, Locale locale) {

    /**
     * @param patientLanguage the patient's language as stored (ISO 639-1/2, maybe with a region), or null
     * @param siteLanguage    the site's language (sites.yaml), or null
     * @param siteCountry     the site's country (ISO 3166), or null
     */
    public static MessageLanguage choose(TemplateSpec spec, String patientLanguage, String siteLanguage,
                                         String siteCountry) {
        String language = spec.spoken(patientLanguage);
        if (language == null) {
            language = spec.spoken(siteLanguage);
        }
        if (language == null) {
            // The default translation: its code is Meta's ("en_US"), whose first part is the language.
            language = spec.defaultLanguage().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        }
        Locale.Builder locale = new Locale.Builder().setLanguage(language);
        if (siteCountry != null && !siteCountry.isBlank()) {
            try {
                locale.setRegion(siteCountry.trim());
            } catch (java.util.IllformedLocaleException notARegion) {
                // a region libphonenumber knows is always a valid one; this is only a guard: no country then
            }
        }
        return new MessageLanguage(language, locale.build());
    }
}
