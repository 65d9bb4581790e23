package org.careline;

import org.careline.config.Setting;
import org.careline.config.SettingsCatalog;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line as an operator meets it: help, the effective settings, and validating a configuration. */
class CarelineCliTest {

    /** One run of the command line over {@code env}: its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Careline.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Map<String, String> repoDirs() {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        return env;
    }

    @Test
    void helpListsEveryCommandWithOneLineEach() {
        Run help = run(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        for (String command : List.of("run", "send-hl7", "bench", "config", "validate")) {
            assertThat(help.out()).containsPattern("(?m)^  " + command + " +\\S");
        }
        assertThat(help.out()).contains("default");
    }

    @Test
    void sendHl7HelpShowsItsUsage() {
        Run help = run(Map.of(), "send-hl7", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: careline send-hl7").contains("FILE").contains("[HOST[:PORT]]");
    }

    @Test
    void sendHl7WithoutAFileIsAUsageError() {
        Run run = run(Map.of(), "send-hl7");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("FILE");
    }

    @Test
    void configShowsEverySettingItsSourceAndValueButNoSecret() {
        Map<String, String> env = new HashMap<>();
        for (Setting<?> s : SettingsCatalog.ALL) {
            if (s.secret()) {
                env.put(s.name(), "s3cret-value-of-" + s.name());
            }
        }
        // The master key must be base64 of 32 bytes: the same marker, in the URL-safe alphabet, padded to 32 bytes.
        env.put("CARELINE_MASTER_KEY", "s3cret-value-of-CARELINE_MASTER_KEY" + "AAAAAAAA=");
        env.put("CARELINE_HTTP_PORT", "9091");
        Run config = run(env, "config");
        assertThat(config.exitCode()).as(config.err()).isZero();
        assertThat(config.out() + config.err()).doesNotContain("s3cret-value-of-");
        List<String> lines = config.out().lines().toList();
        assertThat(lines).hasSize(SettingsCatalog.ALL.size());
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("WHATSAPP_ACCESS_TOKEN +environment +\\*\\*\\*\\*"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("CARELINE_HTTP_PORT +environment +9091"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("CARELINE_MLLP_PORT +default +2575"));
    }

    @Test
    void configSaysUnsetForASecretThatIsNotSet() {
        Run config = run(Map.of(), "config");
        assertThat(config.out().lines()).anySatisfy(l -> assertThat(l).matches("WHATSAPP_APP_SECRET +default +\\(unset\\)"));
    }

    @Test
    void configMarkdownIsTheDocumentationTable() {
        Run markdown = run(Map.of(), "config", "--markdown");
        assertThat(markdown.exitCode()).isZero();
        assertThat(markdown.out()).isEqualTo(org.careline.config.SettingsDocs.table());
    }

    @Test
    void validateAcceptsTheProjectsOwnRoutesAndMappings() {
        Run validate = run(repoDirs(), "validate");
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.err()).isEmpty();
        assertThat(validate.out()).contains("valid");
    }

    @Test
    void validateReportsEveryBrokenFileAndVariableWithFileAndKey() throws IOException {
        Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "sites.yaml", text -> text.replace("    name: GH Clinic\n",
                "    name: GH Clinic\n    adress: x\n"));
        TestMappings.edit(mappings, "siu.yaml", text -> text.replace("  S15: cancel\n", "  S15: cancelled\n"));
        Path routes = Files.createTempDirectory("careline-routes");
        Files.writeString(routes.resolve("broken.yaml"), "- route:\n    from:\n  uri: [unclosed\n");
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        env.put("CARELINE_ROUTES_DIR", routes.toString());
        env.put("CARELINE_HTTP_PORT", "70000");

        Run validate = run(env, "validate");

        assertThat(validate.exitCode()).isEqualTo(2);
        List<String> problems = validate.err().lines().toList();
        assertThat(problems).hasSize(4);
        assertThat(problems).anySatisfy(l -> assertThat(l)
                .isEqualTo("careline: CARELINE_HTTP_PORT must be a port number from 1 to 65535, got '70000'"));
        assertThat(problems).anySatisfy(l -> assertThat(l)
                .startsWith("careline: " + routes.resolve("broken.yaml") + ", line ").contains("not valid YAML"));
        assertThat(problems).anySatisfy(l -> assertThat(l)
                .startsWith("careline: " + mappings.resolve("sites.yaml") + ", line ")
                .contains("key 'sites.gh-clinic.adress'"));
        assertThat(problems).anySatisfy(l -> assertThat(l)
                .startsWith("careline: " + mappings.resolve("siu.yaml")).contains("key 'triggers.S15'"));
        assertThat(validate.out()).isEmpty();
    }

    /** Issue 15: alerts.yaml is checked like every mapping: an unknown rule type, an unknown channel. */
    @Test
    void validateReportsAnAlertRuleOfNoKnownTypeAndAChannelNotInNotifications() throws IOException {
        Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "alerts.yaml", text -> text.replace("  dead_letters:\n",
                "  queue_lag: {}\n  dead_letters:\n    channels: [pager]\n"));
        Map<String, String> env = repoDirs();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());

        Run validate = run(env, "validate");

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err().lines().toList()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("careline: " + mappings.resolve("alerts.yaml") + ", line ")
                .contains("key 'rules.queue_lag'"));
        TestMappings.edit(mappings, "alerts.yaml", text -> text.replace("  queue_lag: {}\n", ""));
        Run again = run(env, "validate");
        assertThat(again.err().lines().toList()).singleElement().satisfies(l -> assertThat(l)
                .contains("key 'rules.dead_letters.channels[0]'").contains("'pager' is not a channel"));
    }

    /** Issue 14: an opt-in site without the opt-in template would hold its messages for ever; refused at once. */
    @Test
    void validateRefusesAnOptInSiteWithoutTheOptInTemplateNamingTheSitesLine() throws IOException {
        Path mappings = optInWithoutTemplate();
        Map<String, String> env = repoDirs();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        int line = List.of(Files.readString(mappings.resolve("sites.yaml")).split("\n")).indexOf("    consent: opt-in") + 1;

        Run validate = run(env, "validate");

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err().lines().toList()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("careline: " + mappings.resolve("sites.yaml") + ", line " + line
                        + ", key 'sites.gh-clinic.consent': the site is opt-in, but ")
                .contains("'templates.opt_in'"));
        // The engine refuses to start the same way, before opening the database.
        assertThatThrownBy(() -> org.careline.support.EngineFixture.start(Map.of("CARELINE_MAPPINGS_DIR",
                mappings.toString()), java.time.Instant.now()))
                .isInstanceOf(org.careline.config.MappingException.class)
                .hasMessageContaining("line " + line + ", key 'sites.gh-clinic.consent'");
    }

    @Test
    void validateNamesAMissingTemplateVariantWithoutProvider() throws IOException {
        Path mappings = TestMappings.copy();
        String variant = "    withoutProvider:\n      name: appointment_confirmation_no_provider\n"
                + "      body: [patient_first_name, date, time, facility_name, facility_address]\n";
        TestMappings.edit(mappings, "templates.yaml", text -> {
            assertThat(text).contains(variant);
            return text.replace(variant, "");
        });
        Map<String, String> env = repoDirs();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());

        Run validate = run(env, "validate");

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err().lines().toList()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("careline: " + mappings.resolve("templates.yaml") + ", line ")
                .contains("key 'templates.confirmation.withoutProvider': missing: the body names provider"));
    }

    /** The project's mappings with gh-clinic opt-in and no opt_in template. */
    private static Path optInWithoutTemplate() throws IOException {
        Path mappings = TestMappings.copy();
        String from = "    matches: [\"GH Clinic\", \"GHH Hospital\", \"GHHSFacility\"]\n";
        TestMappings.edit(mappings, "sites.yaml", text -> {
            assertThat(text).contains(from);
            return text.replace(from, from + "    consent: opt-in\n");
        });
        TestMappings.edit(mappings, "templates.yaml", text -> {
            int start = text.indexOf("  opt_in:\n");
            assertThat(start).isPositive();
            int end = text.indexOf("\n  ", start + 1);
            while (end > 0 && text.startsWith("\n    ", end)) {
                end = text.indexOf("\n  ", end + 1);
            }
            return text.substring(0, start) + (end < 0 ? "" : text.substring(end + 1));
        });
        return mappings;
    }

    @Test
    void validateRefusesClinicalRetentionBelowSixMonthsNamingTheLine() throws IOException {
        Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "retention.yaml", text -> text.replace("  messageBodies: 12 months\n",
                "  messageBodies: 3 months\n"));
        Map<String, String> env = repoDirs();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        List<String> lines = List.of(Files.readString(mappings.resolve("retention.yaml")).split("\n"));
        int line = lines.indexOf("  messageBodies: 3 months") + 1;

        Run validate = run(env, "validate");

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err().trim()).isEqualTo("careline: " + mappings.resolve("retention.yaml") + ", line " + line
                + ", key 'keep.messageBodies': '3 months' is clinical communication: keep it at least 6 months");
    }

    @Test
    void validateNamesAMissingRoutesDirectory() {
        Map<String, String> env = repoDirs();
        env.put("CARELINE_ROUTES_DIR", "/nonexistent/careline-routes");
        Run validate = run(env, "validate");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains("routes directory not found: /nonexistent/careline-routes");
    }

    @Test
    void validateChecksTheTlsFilesAndTheEdgeSettings() throws IOException {
        Map<String, String> env = repoDirs();
        env.put("CARELINE_MLLP_TLS", "true");
        env.put("CARELINE_TLS_CERT", "/nonexistent/careline.pem");
        env.put("CARELINE_TLS_KEY", "/nonexistent/careline.key");
        Run missing = run(env, "validate");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().lines().toList())
                .containsExactly("careline: CARELINE_TLS_CERT: no such file /nonexistent/careline.pem");

        Map<String, String> noKey = repoDirs();
        noKey.put("CARELINE_HTTP_TLS", "true");
        noKey.put("CARELINE_MLLP_ALLOW", "10.0.0.0/8,ehr.example.org");
        Run wrong = run(noKey, "validate");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("careline: CARELINE_HTTP_TLS=true needs CARELINE_TLS_CERT and CARELINE_TLS_KEY",
                "careline: CARELINE_MLLP_ALLOW must list IPv4/IPv6 addresses or CIDR blocks");
    }
}
