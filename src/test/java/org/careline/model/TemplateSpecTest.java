package org.careline.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateSpecTest {

    private final TemplateSpec spec = new TemplateSpec("appointment_reminder", "en_US",
            Map.of("en", "en_US", "es", "es", "PT", "pt_BR", "de", "de"), List.of("patient", "date"));

    @ParameterizedTest
    @CsvSource({
            "en, en_US",
            "es, es",
            "ES, es",
            "es-MX, es",
            "es_mx, es",
            "spa, es",
            "SPA, es",
            "deu, de",
            "pt, pt_BR",
            "por, pt_BR",
            "' es-419 ', es",
            "fr, en_US",
            "fra, en_US",
            "xx, en_US",
            "xyz, en_US",
            "'', en_US",
            "'  ', en_US"})
    void mapsPatientLanguageToTemplateLanguage(String patientLanguage, String expected) {
        assertThat(spec.languageCodeFor(patientLanguage)).isEqualTo(expected);
    }

    @Test
    void nullLanguageFallsBackToDefault() {
        assertThat(spec.languageCodeFor(null)).isEqualTo("en_US");
    }

    @Test
    void nullCollectionsBecomeEmpty() {
        TemplateSpec bare = new TemplateSpec("hello_world", "en_US", null, null);
        assertThat(bare.languages()).isEmpty();
        assertThat(bare.bodyParameters()).isEmpty();
        assertThat(bare.languageCodeFor("es")).isEqualTo("en_US");
    }

    @Test
    void collectionsAreImmutableCopies() {
        assertThatThrownBy(() -> spec.bodyParameters().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.languages().put("fr", "fr")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requiresNameAndDefaultLanguage() {
        assertThatThrownBy(() -> new TemplateSpec(" ", "en_US", Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TemplateSpec("t", null, Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
