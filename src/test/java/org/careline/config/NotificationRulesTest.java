package org.careline.config;

import org.careline.model.AlertSeverity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NotificationRulesTest {

    private static final Map<String, String> ENV = Map.of("HOOK_SECRET", "s3cret");
    private static final Set<String> SITES = Set.of("gh-clinic", "north");

    @TempDir
    Path dir;

    private static final String GOOD = """
            channels:
              oncall:
                type: webhook
                url: https://hooks.example.org/careline
                secretEnv: HOOK_SECRET
              desk:
                type: email
                to: [desk@gh-clinic.example.org]
              team:
                type: email
                to: [a@example.org, b@example.org]
            routes:
              default:
                critical: [oncall, team]
                warning: [team]
              gh-clinic:
                critical: [oncall, desk]
                info: []
            """;

    private NotificationRules load(String yaml) throws IOException {
        Files.writeString(dir.resolve("notifications.yaml"), yaml);
        return NotificationRules.load(dir, ENV::get, SITES::contains);
    }

    private MappingException problem(String yaml) {
        return catchThrowableOfType(MappingException.class, () -> load(yaml));
    }

    @Test
    void theShippedDefaultHasNoChannels() {
        NotificationRules rules = NotificationRules.load(Path.of("mappings"), name -> null, site -> false);
        assertThat(rules.channels()).isEmpty();
        assertThat(rules.channelsFor("gh-clinic", AlertSeverity.CRITICAL)).isEmpty();
    }

    @Test
    void noFileMeansNoChannels() {
        assertThat(NotificationRules.load(dir, name -> null, site -> true).channels()).isEmpty();
    }

    @Test
    void channelsAreReadWithTheirSecretFromTheEnvironment() throws IOException {
        NotificationRules rules = load(GOOD);
        assertThat(rules.channels()).containsOnlyKeys("oncall", "desk", "team");
        NotificationRules.Webhook hook = (NotificationRules.Webhook) rules.channels().get("oncall");
        assertThat(hook.secret()).isEqualTo("s3cret");
        assertThat(hook.toString()).doesNotContain("s3cret");
        assertThat(((NotificationRules.Email) rules.channels().get("team")).to())
                .containsExactly("a@example.org", "b@example.org");
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
            "gh-clinic; critical; oncall desk",
            "gh-clinic; warning;  team",
            "gh-clinic; info;     -",
            "north;     critical; oncall team",
            "north;     info;     -",
            "-;         critical; oncall team",
            "-;         warning;  team",
    })
    void aSiteUsesItsOwnListForASeverityElseTheDefault(String site, String severity, String channels)
            throws IOException {
        assertThat(load(GOOD).channelsFor(site, AlertSeverity.fromDb(severity)))
                .isEqualTo(channels == null ? List.of() : List.of(channels.split(" ")));
    }

    @Test
    void aRouteNamingAnUnknownChannelIsRefusedAtItsLine() {
        MappingException e = problem(GOOD.replace("critical: [oncall, desk]", "critical: [oncall, pager]"));
        assertThat(e.file()).contains(dir.resolve("notifications.yaml"));
        assertThat(e.line()).hasValue(17);
        assertThat(e.key()).contains("routes.gh-clinic.critical[1]");
        assertThat(e.getMessage()).contains("'pager' is not a channel");
    }

    @Test
    void aSecretEnvNamingAnUnsetVariableStopsTheStartWithTheVariablesName() {
        MappingException e = problem(GOOD.replace("secretEnv: HOOK_SECRET", "secretEnv: OTHER_SECRET"));
        assertThat(e.line()).hasValue(5);
        assertThat(e.key()).contains("channels.oncall.secretEnv");
        assertThat(e.getMessage()).contains("OTHER_SECRET, which is not set in the environment");
    }

    @Test
    void aWebhookWithoutSecretEnvIsRefused() {
        MappingException e = problem(GOOD.replace("    secretEnv: HOOK_SECRET\n", ""));
        assertThat(e.key()).contains("channels.oncall.secretEnv");
        assertThat(e.line()).hasValue(2);
    }

    @Test
    void aSecretWrittenIntoTheFileIsAnUnknownKey() {
        MappingException e = problem(GOOD.replace("secretEnv: HOOK_SECRET", "secret: s3cret"));
        assertThat(e.key()).contains("channels.oncall.secret");
        assertThat(e.line()).hasValue(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "type: webhook;                    type: pager;                     channels.oncall.type;        3",
            "url: https://hooks.example.org/careline; url: ftp://x;            channels.oncall.url;         4",
            "to: [desk@gh-clinic.example.org]; to: [desk];                      channels.desk.to[0];         8",
            "to: [desk@gh-clinic.example.org]; to: [];                          channels.desk.to;            8",
            "'  gh-clinic:';                   '  south:';                      routes.south;                16",
            "'    info: []';                   '    urgent: []';                routes.gh-clinic.urgent;     18",
    })
    void eachMistakeNamesFileLineAndKey(String from, String to, String key, int line) {
        MappingException e = problem(GOOD.replace(from, to));
        assertThat(e.key()).contains(key);
        assertThat(e.line()).hasValue(line);
        assertThat(e.getMessage()).startsWith(dir.resolve("notifications.yaml") + ", line " + line + ", key '" + key
                + "': ");
    }
}
