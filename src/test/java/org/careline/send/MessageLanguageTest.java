package org.careline.send;

import org.careline.config.TemplateCatalog;
import org.careline.model.TemplateSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The language a message goes in and how its date and time read: the patient's language when the template speaks
 * it, else the site's, else the template's default; dates by CLDR for that language and the site's country.
 */
class MessageLanguageTest {

    /** A template translated into English, Spanish and French (the shipped file has no French: a fixture here). */
    private static final TemplateSpec SPEC = new TemplateSpec("appointment_confirmation", "en_US",
            Map.of("en", "en_US", "es", "es", "fr", "fr"), List.of("date", "time"));
    private static final TemplateCatalog CATALOG = TemplateCatalog.load(Path.of("mappings"));
    /** Friday 8 March 2030, 14:00 wherever the site is. */
    private static final java.time.LocalDateTime AT = java.time.LocalDateTime.of(2030, 3, 8, 14, 0);

    // CLDR as Java 17 ships it: es-US writes "p. m." with a no-break space (compared here as a space), and has no
    // en-FR data, so an English patient in France reads en's (US) style; en-DE and en-GB have their own.
    @ParameterizedTest(name = "PID-15 {0} at a {1} site in {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            en    | en | US | en | en_US | en-US | Friday, March 8, 2030      | 2:00 PM
            -     | en | US | en | en_US | en-US | Friday, March 8, 2030      | 2:00 PM
            EN    | en | US | en | en_US | en-US | Friday, March 8, 2030      | 2:00 PM
            xx    | en | US | en | en_US | en-US | Friday, March 8, 2030      | 2:00 PM
            es    | en | US | es | es    | es-US | viernes, 8 de marzo de 2030 | 2:00 p. m.
            spa   | en | US | es | es    | es-US | viernes, 8 de marzo de 2030 | 2:00 p. m.
            fr    | fr | FR | fr | fr    | fr-FR | vendredi 8 mars 2030       | 14:00
            -     | fr | FR | fr | fr    | fr-FR | vendredi 8 mars 2030       | 14:00
            de    | fr | FR | fr | fr    | fr-FR | vendredi 8 mars 2030       | 14:00
            en    | fr | FR | en | en_US | en-FR | Friday, March 8, 2030      | 2:00 PM
            es-MX | es | ES | es | es    | es-ES | viernes, 8 de marzo de 2030 | 14:00
            -     | en | GB | en | en_US | en-GB | Friday, 8 March 2030       | 14:00
            -     | de | DE | en | en_US | en-DE | Friday, 8 March 2030       | 14:00
            -     | -  | US | en | en_US | en-US | Friday, March 8, 2030      | 2:00 PM
            -     | -  | -  | en | en_US | en    | Friday, March 8, 2030      | 2:00 PM
            """)
    void languageAndDates(String patient, String siteLanguage, String country, String language, String metaCode,
                          String locale, String date, String time) {
        MessageLanguage chosen = MessageLanguage.choose(SPEC, patient, siteLanguage, country);
        assertThat(chosen.language()).isEqualTo(language);
        assertThat(SPEC.languageCodeFor(chosen.language())).isEqualTo(metaCode);
        assertThat(chosen.locale().toLanguageTag()).isEqualTo(locale);
        TemplateCatalog.Formats f = CATALOG.formats(chosen.locale());
        ZonedDateTime at = AT.atZone(ZoneId.of("UTC"));
        assertThat(at.format(f.date())).isEqualTo(date);
        assertThat(at.format(f.time()).replace('\u00a0', ' ')).isEqualTo(time);
    }
}
