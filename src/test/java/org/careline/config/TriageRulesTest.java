package org.careline.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mappings/triage.yaml: the project's file reads as documented; each slip names the file, line and key. */
class TriageRulesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void copyProjectMappings() throws IOException {
        for (String f : List.of("triage.yaml", "replies.yaml", "sites.yaml", "templates.yaml")) {
            Files.copy(Path.of("mappings", f), dir.resolve(f));
        }
    }

    /** Replaces {@code from} (exactly once) and returns the 1-based line of {@code needle} in the result. */
    private int edit(String file, String from, String to, String needle) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        assertThat(text.indexOf(from)).as(from).isNotNegative();
        assertThat(text.indexOf(from, text.indexOf(from) + 1)).as(from + " once").isNegative();
        String changed = text.replace(from, to);
        Files.writeString(p, changed);
        return (int) changed.substring(0, changed.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
    }

    private void checkAll() {
        TriageRules.load(dir).checkAgainst(dir, ReplyRules.load(dir),
                SiteDirectory.load(dir, ZoneId.of("America/New_York"), "US"), TemplateCatalog.load(dir));
    }

    private String where(int line, String key) {
        return dir.resolve("triage.yaml") + ", line " + line + ", key '" + key + "': ";
    }

    @Test
    void theProjectsOwnFileReadsAsDocumented() {
        checkAll();
        TriageRules r = TriageRules.load(dir);
        assertThat(r.queues().keySet()).containsExactly("emergency", "pharmacy", "results", "scheduling", "nurse");
        assertThat(r.sla("main", "pharmacy")).isEqualTo(Duration.ofHours(2));
        assertThat(r.sla("main", "emergency")).isEqualTo(Duration.ZERO);
        assertThat(r.sla("royal-london", "results")).isEqualTo(Duration.ofHours(8));
        assertThat(r.sla("main", "results")).isEqualTo(Duration.ofHours(4));
        assertThat(r.escalateAfter("main")).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.escalateAfter("royal-london")).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.offersFollowUp("main")).isTrue();
        assertThat(r.acknowledgement("pharmacy", "es")).startsWith("Hemos recibido su solicitud de receta");
        assertThat(r.acknowledgement("pharmacy", "fr")).startsWith("We have received your refill request");
    }

    @Test
    void siteOverridesSwitchQueuesOffAndTheFollowUpTemplate() throws IOException {
        edit("triage.yaml", "      results: { sla: 8h }\n", "      results: { sla: 8h }\n      pharmacy: { enabled: false }\n"
                + "    followUpTemplate: none\n", "pharmacy: { enabled");
        TriageRules r = TriageRules.load(dir);
        assertThat(r.queuesAt("royal-london")).containsExactly("emergency", "results", "scheduling", "nurse");
        assertThat(r.queuesAt("main")).contains("pharmacy");
        assertThat(r.offersFollowUp("royal-london")).isFalse();
    }

    @Test
    void anSlaThatIsNotADurationNamesItsKey() throws IOException {
        int line = edit("triage.yaml", "    sla: 2h\n", "    sla: two hours\n", "sla: two hours");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "queues.pharmacy.sla") + "'two hours' is not a duration");
    }

    @Test
    void aMissingRequiredQueueIsNamed() throws IOException {
        edit("triage.yaml", "  nurse:\n    sla: 4h\n", "  nurses:\n    sla: 4h\n", "nurses");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key 'queues.nurse': missing");
    }

    @Test
    void aMisspelledKeyNamesLineAndKey() throws IOException {
        int line = edit("triage.yaml", "    menu: \"5\"\n", "    menu: \"5\"\n    keywrods: {}\n", "keywrods");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "queues.pharmacy.keywrods"))
                .hasMessageContaining("unknown key 'keywrods'");
    }

    @Test
    void aMissingAcknowledgementInTheDefaultLanguageIsNamed() throws IOException {
        int line = edit("triage.yaml",
                "      en: \"We have received your refill request; the pharmacy team will answer within 2 hours.\"\n",
                "", "  results:");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageContaining("key 'queues.pharmacy.acknowledgement.en': missing");
    }

    @Test
    void emergencyTakesNoKeywords() throws IOException {
        int line = edit("triage.yaml", "  emergency:\n    sla: 0m\n", "  emergency:\n    sla: 0m\n    keywords:\n"
                + "      en: [help]\n", "    keywords:\n      en: [help]");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "queues.emergency.keywords"));
    }

    @Test
    void emergencyCannotBeSwitchedOffAtASite() throws IOException {
        int line = edit("triage.yaml", "      results: { sla: 8h }\n",
                "      results: { sla: 8h }\n      emergency: { enabled: false }\n", "emergency: { enabled");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "sites.royal-london.queues.emergency.enabled"));
    }

    @Test
    void anUnknownQueueAtASiteIsNamed() throws IOException {
        int line = edit("triage.yaml", "      results: { sla: 8h }\n", "      billing: { sla: 8h }\n", "billing: {");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "sites.royal-london.queues.billing") + "not a queue");
    }

    @Test
    void aMenuDigitRepliesYamlAlreadyUsesIsNamed() throws IOException {
        int line = edit("triage.yaml", "    menu: \"5\"\n", "    menu: \"4\"\n", "menu: \"4\"");
        assertThatThrownBy(this::checkAll).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "queues.pharmacy.menu") + "'4' is already replies.yaml's menu");
    }

    @Test
    void aSiteSitesYamlDoesNotKnowIsNamed() throws IOException {
        int line = edit("triage.yaml", "  royal-london:\n", "  royal-londen:\n", "royal-londen");
        assertThatThrownBy(this::checkAll).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "sites.royal-londen") + "not a site of sites.yaml");
    }

    @Test
    void aFollowUpTemplateThatTemplatesYamlLacksIsNamed() throws IOException {
        Path t = dir.resolve("templates.yaml");
        String text = Files.readString(t);
        Files.writeString(t, text.substring(0, text.indexOf("  # Optional: the template staff may send")));
        int line = edit("triage.yaml", "followUpTemplate: follow_up\n", "followUpTemplate: follow_up\n",
                "followUpTemplate: follow_up\n\nqueues:");
        assertThatThrownBy(this::checkAll).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "followUpTemplate") + "follow_up, but templates.yaml has no");
    }

    @Test
    void aFollowUpTemplateOtherThanFollowUpOrNoneIsNamed() throws IOException {
        int line = edit("triage.yaml", "followUpTemplate: follow_up\n", "followUpTemplate: care_team\n",
                "followUpTemplate: care_team");
        assertThatThrownBy(() -> TriageRules.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageStartingWith(where(line, "followUpTemplate") + "'care_team' is neither");
    }
}
