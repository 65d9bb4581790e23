package org.careline;

import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** careline register, run in-process: what it prints follows the environment and mappings/. */
class RegisterCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        CommandLine cli = Careline.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void withoutATokenTheSandboxIsTheOnlyMessagingRecipient() {
        Run r = run(Map.of(), "register");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Processing register (GDPR article 30)", "built-in Cloud API sandbox",
                "results portal", "How long it is kept", "12 months", "main (Careline Demo Clinic): opt-out",
                "gh-clinic (GH Clinic): opt-out");
        assertThat(r.out()).doesNotContain("Meta Platforms", "scheduling system (HL7");
    }

    @Test
    void destinationsFollowTheEnvironmentAndSecretsNeverShow() {
        Run r = run(Map.of("WHATSAPP_ACCESS_TOKEN", "EAAG-very-secret-token", "WHATSAPP_PHONE_NUMBER_ID", "1098765",
                "CARELINE_SCHEDULING_MLLP", "ehr.example.org:2576",
                "CARELINE_PORTAL_URL", "https://portal.example.org/results"), "register");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Meta Platforms (WhatsApp Cloud API)", "phone number id 1098765",
                "ehr.example.org:2576", "https://portal.example.org/results");
        assertThat(r.out()).doesNotContain("EAAG-very-secret-token");
    }

    @Test
    void retentionIsReadFromRetentionYaml() throws Exception {
        java.nio.file.Path mappings = TestMappings.copy();
        TestMappings.edit(mappings, "retention.yaml", t -> t.replace("  auditTrail: 12 months", "  auditTrail: 6 years")
                .replace("  rawInbound: 12 months", "  rawInbound: 7 months"));
        Run r = run(Map.of("CARELINE_MAPPINGS_DIR", mappings.toString()), "register");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("audit trail: 6 years, then deleted", "raw inbound HL7 messages: 7 months",
                "message bodies (sent and received): 12 months");
    }

    @Test
    void jsonOnRequest() {
        Run r = run(Map.of(), "register", "--format", "json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"recipients\"", "\"retention\"", "\"mode\" : \"opt-out\"");
    }
}
