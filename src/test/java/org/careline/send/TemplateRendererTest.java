package org.careline.send;

import org.careline.model.TemplateSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateRendererTest {

    private final TemplateRenderer renderer = new TemplateRenderer();
    private final TemplateSpec reminder = new TemplateSpec("appointment_reminder", "en_US",
            Map.of("en", "en_US", "es", "es"), List.of("patient", "date", "site"));

    @Test
    void rendersTemplateMessage() {
        ObjectNode message = renderer.render(reminder, "+34600123456", "es-ES",
                Map.of("patient", "Ana", "date", "lunes 3 de marzo, 10:30", "site", "Clínica Norte"));

        assertThat(message.toString()).isEqualTo("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
                + "\"to\":\"34600123456\",\"type\":\"template\",\"template\":{\"name\":\"appointment_reminder\","
                + "\"language\":{\"code\":\"es\"},\"components\":[{\"type\":\"body\",\"parameters\":["
                + "{\"type\":\"text\",\"text\":\"Ana\"},"
                + "{\"type\":\"text\",\"text\":\"lunes 3 de marzo, 10:30\"},"
                + "{\"type\":\"text\",\"text\":\"Clínica Norte\"}]}]}}");
    }

    @Test
    void omitsComponentsWithoutBodyParameters() {
        ObjectNode message = renderer.render(new TemplateSpec("hello_world", "en_US", Map.of(), List.of()),
                "+14155550123", null, Map.of("unused", "x"));

        assertThat(message.path("to").asText()).isEqualTo("14155550123");
        assertThat(message.path("template").has("components")).isFalse();
        assertThat(message.path("template").path("language").path("code").asText()).isEqualTo("en_US");
    }

    @Test
    void missingOrNullVariablesRenderAsDash() {
        Map<String, String> variables = new HashMap<>();
        variables.put("patient", null);
        variables.put("date", "  ");
        ObjectNode message = renderer.render(reminder, "+14155550123", "en", variables);

        assertThat(message.at("/template/components/0/parameters").findValuesAsText("text"))
                .containsExactly("-", "-", "-");
        assertThat(renderer.render(reminder, "+14155550123", "en", null)
                .at("/template/components/0/parameters/2/text").asText()).isEqualTo("-");
    }

    @Test
    void sanitizesParameterValues() {
        ObjectNode message = renderer.render(reminder, "+14155550123", "en",
                Map.of("patient", "Ana\nMaría", "date", "Mon\t3", "site", "North     Clinic"));

        assertThat(message.at("/template/components/0/parameters").findValuesAsText("text"))
                .containsExactly("Ana María", "Mon 3", "North Clinic");
    }

    @ParameterizedTest
    @CsvSource({"34600123456", "+0034600123456", "'+34 600 123 456'", "+123456", "+1234567890123456", "''"})
    void rejectsNonE164RecipientWithoutEchoingIt(String to) {
        assertThatThrownBy(() -> renderer.render(reminder, to, "en", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("\\d{6}"));
    }

    @Test
    void rejectsNullRecipient() {
        assertThatThrownBy(() -> renderer.render(reminder, null, "en", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sanitizeCases() {
        assertThat(TemplateRenderer.sanitize(null)).isEqualTo("-");
        assertThat(TemplateRenderer.sanitize("")).isEqualTo("-");
        assertThat(TemplateRenderer.sanitize(" \n\t ")).isEqualTo("-");
        assertThat(TemplateRenderer.sanitize("plain")).isEqualTo("plain");
        assertThat(TemplateRenderer.sanitize("  padded  ")).isEqualTo("padded");
        assertThat(TemplateRenderer.sanitize("a\nb")).isEqualTo("a b");
        assertThat(TemplateRenderer.sanitize("a \r\n  b")).isEqualTo("a b");
        assertThat(TemplateRenderer.sanitize("a\tb")).isEqualTo("a b");
        assertThat(TemplateRenderer.sanitize("a\u2028b")).isEqualTo("a b");
        assertThat(TemplateRenderer.sanitize("a   b")).as("three spaces are allowed").isEqualTo("a   b");
        assertThat(TemplateRenderer.sanitize("a    b")).isEqualTo("a b");
        assertThat(TemplateRenderer.sanitize("a          b")).isEqualTo("a b");
        assertThat(TemplateRenderer.sanitize("*Dr. Ruiz*, 10:30")).isEqualTo("*Dr. Ruiz*, 10:30");
    }

    @Test
    void sanitizeCapsAt1024Characters() {
        assertThat(TemplateRenderer.sanitize("x".repeat(5000))).hasSize(1024);
        assertThat(TemplateRenderer.sanitize("x".repeat(1024))).hasSize(1024);
        // an emoji (surrogate pair) straddling the cut is dropped whole rather than split
        String cut = TemplateRenderer.sanitize("x".repeat(1023) + "😀" + "y");
        assertThat(cut).isEqualTo("x".repeat(1023));
        // trailing whitespace exposed by the cut is trimmed
        assertThat(TemplateRenderer.sanitize("x".repeat(1022) + "  yyy")).isEqualTo("x".repeat(1022));
    }
}
