package org.careline.config;

import org.careline.model.MessageKind;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * templates.yaml's withoutProvider variants: the template sent when no provider is known (Meta refuses an empty
 * parameter, and "-" reads as a mistake), required wherever a body names provider, and checked by validate.
 */
class TemplateVariantTest {

    private static final String CONFIRMATION_VARIANT = "    withoutProvider:\n"
            + "      name: appointment_confirmation_no_provider\n"
            + "      body: [patient_first_name, date, time, facility_name, facility_address]\n";

    /** Which template a kind is sent with, by what the appointment knows of its provider. */
    @ParameterizedTest(name = "{0} with provider \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            CONFIRMATION | Dr Anna Smith | appointment_confirmation
            CONFIRMATION | -             | appointment_confirmation_no_provider
            CONFIRMATION | '  '          | appointment_confirmation_no_provider
            REMINDER     | -             | appointment_reminder_no_provider
            RESCHEDULED  | -             | appointment_rescheduled_no_provider
            CANCELLED    | -             | appointment_cancelled
            CANCELLED    | Dr Anna Smith | appointment_cancelled
            """)
    void theVariantGoesWhenNoProviderIsKnown(MessageKind kind, String provider, String template) {
        TemplateCatalog catalog = TemplateCatalog.load(Path.of("mappings"));
        assertThat(catalog.template(kind, provider).name()).isEqualTo(template);
        assertThat(catalog.template(kind, provider).bodyParameters()).doesNotContainNull();
        if (provider == null) {
            assertThat(catalog.template(kind, provider).bodyParameters()).doesNotContain("provider");
        }
    }

    @Test
    void theVariantSharesTheTemplatesLanguagesAndButtons() {
        TemplateCatalog catalog = TemplateCatalog.load(Path.of("mappings"));
        var variant = catalog.template(MessageKind.REMINDER, null);
        var template = catalog.template(MessageKind.REMINDER);
        assertThat(variant.languages()).isEqualTo(template.languages());
        assertThat(variant.buttons()).isEqualTo(template.buttons());
    }

    @Test
    void aBodyNamingProviderWithoutAVariantIsRefusedAtItsKey() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "templates.yaml", t -> {
            assertThat(t).contains(CONFIRMATION_VARIANT);
            return t.replace(CONFIRMATION_VARIANT, "");
        });
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("key 'templates.confirmation.withoutProvider': missing: the body names provider");
    }

    @Test
    void aVariantThatNamesProviderIsRefused() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "templates.yaml", t -> t.replace(CONFIRMATION_VARIANT, CONFIRMATION_VARIANT
                .replace("[patient_first_name, date", "[patient_first_name, provider, date")));
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("key 'templates.confirmation.withoutProvider.body': names provider");
    }

    @Test
    void aSiteLanguageMustBeAnIsoLanguage() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "sites.yaml", t -> t.replace("    zone: America/Detroit\n",
                "    zone: America/Detroit\n    language: french\n"));
        assertThatThrownBy(() -> SiteDirectory.load(dir, java.time.ZoneId.of("UTC"), "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("key 'sites.gh-clinic.language': 'french' is not a two-letter ISO 639-1 language");
    }

    @Test
    void theShippedSitesSpeakEnglishUnlessTheySayOtherwise() {
        SiteDirectory sites = SiteDirectory.load(Path.of("mappings"), java.time.ZoneId.of("UTC"), "US");
        assertThat(sites.site("gh-clinic").language()).isEqualTo("en");
        assertThat(sites.site("gh-clinic").country()).isEqualTo("US");
        assertThat(sites.site("royal-london").country()).isEqualTo("GB");
    }
}
