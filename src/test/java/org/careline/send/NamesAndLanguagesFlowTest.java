package org.careline.send;

import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.Siu;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIU over MLLP → the confirmation at the Cloud API stand-in: the provider is a real person's name or left out
 * (the template variant without it, never "-" or a login id), the language is the patient's or else the site's,
 * and dates read as in the site's country whether PID-15 is there or not.
 *
 * <p>The shipped templates have no French translation yet, so this test's copy of mappings/ adds one ("fr: fr")
 * and a site in Paris whose language is French.
 */
class NamesAndLanguagesFlowTest {

    // A Tuesday at 14:00 in Detroit (20:00 in Paris): outside both sites' quiet hours, so confirmations go at once.
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, ZoneId.of("America/Detroit")).toInstant();
    /** Friday 2030-03-08 14:00 in Detroit = 20:00 in Paris. */
    private static final Instant START = NOW.plus(Duration.ofDays(3));

    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "templates.yaml", t -> t.replace("languages: { en: en_US, es: es }",
                "languages: { en: en_US, es: es, fr: fr }"));
        TestMappings.edit(mappings, "sites.yaml", t -> t + """
                  paris:
                    name: Clinique de Test
                    address: 1 rue de l'Exemple, Paris
                    phone: "+33 1 23 45 67 89"
                    zone: Europe/Paris
                    phoneRegion: FR
                    language: fr
                    matches: ["Clinique Paris"]
                  madrid:
                    name: Clinica de Prueba
                    address: Calle del Ejemplo 1, Madrid
                    phone: "+34 910 000 000"
                    zone: Europe/Madrid
                    phoneRegion: ES
                    language: es
                    matches: ["Clinica Madrid"]
                """);
        fx = EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR", mappings.toString()), NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void aLoginIdInAig3IsNeverShownAndNoProviderSendsTheVariantWithoutIt() throws Exception {
        Siu siu = Siu.booking(START).phone("^PRN^CP^^1^608^2710001").provider("").aig("KM^kmurphy2");
        Flow.accepted(fx, siu);
        MetaStub.Received sent = awaitSent("16082710001");
        assertThat(sent.json().path("template").path("name").asText()).isEqualTo("appointment_confirmation_no_provider");
        assertThat(Flow.bodyParameters(sent)).containsExactly("Jane", "Friday, March 8, 2030", "2:00 PM", "GH Clinic",
                "1000 Hospital Lane, Ann Arbor, MI");
        assertThat(fx.query("SELECT provider_name FROM appointment WHERE external_id = ?", siu.fillerId()).get(0))
                .containsEntry("PROVIDER_NAME", null);
    }

    @Test
    void aPersonInPv17IsShownInProperCaseWhenAig3HoldsOnlyALogin() throws Exception {
        Siu siu = Siu.booking(START).phone("^PRN^CP^^1^608^2710002").provider("").aig("KM^kmurphy2")
                .afterPid("PV1|1|O|||||0210^O'BRIEN^SEAN^A^^DR");
        Flow.accepted(fx, siu);
        MetaStub.Received sent = awaitSent("16082710002");
        assertThat(sent.json().path("template").path("name").asText()).isEqualTo("appointment_confirmation");
        assertThat(Flow.bodyParameters(sent).get(1)).isEqualTo("Dr Sean O'Brien");
    }

    @Test
    void aUsPatientsDatesReadTheSameWithAndWithoutPid15() throws Exception {
        Flow.accepted(fx, Siu.booking(START).phone("^PRN^CP^^1^608^2710003").language("en"));
        Flow.accepted(fx, Siu.booking(START).phone("^PRN^CP^^1^608^2710004").language(""));
        MetaStub.Received withLanguage = awaitSent("16082710003");
        MetaStub.Received without = awaitSent("16082710004");
        for (MetaStub.Received r : List.of(withLanguage, without)) {
            assertThat(r.json().path("template").path("language").path("code").asText()).isEqualTo("en_US");
            assertThat(Flow.bodyParameters(r)).containsExactly("Jane", "Dr Anna Smith", "Friday, March 8, 2030",
                    "2:00 PM", "GH Clinic", "1000 Hospital Lane, Ann Arbor, MI");
        }
    }

    @Test
    void aFrenchPatientAtAFrenchSiteGetsFrenchAndSoDoesOneWhoseFeedGivesNoLanguage() throws Exception {
        Flow.accepted(fx, Siu.booking(START).phone("^PRN^CP^^1^608^2710005").language("fr")
                .facility("Clinique Paris").provider("D9^DUPONT^CLAIRE^^^DR"));
        Flow.accepted(fx, Siu.booking(START).phone("^PRN^CP^^1^608^2710006").language("")
                .facility("Clinique Paris").provider("D9^DUPONT^CLAIRE^^^DR"));
        for (String to : List.of("16082710005", "16082710006")) {
            MetaStub.Received r = awaitSent(to);
            assertThat(r.json().path("template").path("language").path("code").asText()).isEqualTo("fr");
            assertThat(Flow.bodyParameters(r)).containsExactly("Jane", "Dr Claire Dupont", "vendredi 8 mars 2030",
                    "20:00", "Clinique de Test", "1 rue de l'Exemple, Paris");
        }
    }

    @Test
    void aSpanishPatientAtTheFrenchSiteStillGetsSpanish() throws Exception {
        Flow.accepted(fx, Siu.booking(START).phone("^PRN^CP^^1^608^2710007").language("spa")
                .facility("Clinique Paris"));
        MetaStub.Received r = awaitSent("16082710007");
        assertThat(r.json().path("template").path("language").path("code").asText()).isEqualTo("es");
        // Spanish as written in France (es-FR has no CLDR data of its own in Java 17: Spanish's)
        assertThat(Flow.bodyParameters(r).subList(2, 4)).containsExactly("viernes, 8 de marzo de 2030", "20:00");
    }

    @Test
    void aReplyFromAPatientWithNoLanguageIsAnsweredInTheSitesLanguage() throws Exception {
        Flow.accepted(fx, Siu.booking(START).phone("^PRN^CP^^1^608^2710008").language("")
                .facility("Clinica Madrid"));
        MetaStub.Received confirmation = awaitSent("16082710008");
        assertThat(confirmation.json().path("template").path("language").path("code").asText()).isEqualTo("es");

        // Words of no language replies.yaml knows: nothing tells the language but the site.
        com.fasterxml.jackson.databind.node.ObjectNode payload = org.careline.support.MetaWebhooks.textMessage(
                org.careline.support.MetaWebhooks.newWamid(), "16082710008", fx.clock.instant());
        ((com.fasterxml.jackson.databind.node.ObjectNode) org.careline.support.MetaWebhooks.messages(payload).get(0)
                .path("text")).put("body", "qwxz");
        assertThat(org.careline.support.MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> sentTo("16082710008").size() == 2);
        assertThat(sentTo("16082710008").get(1).json().path("text").path("body").asText())
                .startsWith("Disculpe, no le hemos entendido");
    }

    private static List<MetaStub.Received> sentTo(String to) {
        return fx.meta.received().stream().filter(r -> to.equals(r.json().path("to").asText())).toList();
    }

    /** The confirmation sent to one number. */
    private static MetaStub.Received awaitSent(String to) {
        await().atMost(Duration.ofSeconds(15)).until(() -> fx.meta.received().stream()
                .anyMatch(r -> to.equals(r.json().path("to").asText())));
        return fx.meta.received().stream().filter(r -> to.equals(r.json().path("to").asText())).findFirst().orElseThrow();
    }
}
