package org.careline.config;

import org.careline.model.Site;
import org.careline.support.EngineFixture;
import org.careline.support.EngineProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An analyst's slip in mappings/ must stop Careline with a message naming the file, the key and, where the YAML
 * parser knows it, the line: never a stack trace, never a silently wrong default. Each test breaks one thing in
 * a copy of the project's mappings/.
 */
class MappingFilesTest {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");

    @TempDir
    Path dir;

    @BeforeEach
    void copyProjectMappings() throws IOException {
        for (String f : List.of("sites.yaml", "siu.yaml", "pieces.yaml", "templates.yaml")) {
            Files.copy(Path.of("mappings", f), dir.resolve(f));
        }
    }

    /** Replaces {@code from} (which must occur exactly once) and returns the 1-based line where {@code to} starts. */
    private int edit(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        int at = text.indexOf(from);
        assertThat(at).as("'%s' in %s", from, file).isNotNegative();
        assertThat(text.indexOf(from, at + 1)).as("'%s' occurs once in %s", from, file).isNegative();
        Files.writeString(p, text.substring(0, at) + to + text.substring(at + from.length()));
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /** 1-based line of the first line of {@code file} that starts with {@code start}. */
    private int lineOfKey(String file, String start) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError(start + " not in " + file);
    }

    private static int lineOf(int firstLine, String to, String needle) {
        String before = to.substring(0, to.indexOf(needle));
        return firstLine + (int) before.chars().filter(c -> c == '\n').count();
    }

    private void loadAll() {
        SiuMapping.load(dir);
        SiteDirectory.load(dir, ZONE, "US");
        TemplateCatalog.load(dir);
    }

    @Test
    void theProjectsOwnMappingsLoad() {
        loadAll();
    }

    // ---- sites.yaml ----

    @Test
    void badIndentationNamesFileAndLine() throws IOException {
        String from = "    name: GH Clinic\n    address: 1000 Hospital Lane, Ann Arbor, MI\n";
        String to = "    name: GH Clinic\n   address: 1000 Hospital Lane, Ann Arbor, MI\n";
        int line = lineOf(edit("sites.yaml", from, to), to, "   address");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line + ", key 'sites': not valid YAML: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void tabIndentationNamesFileAndLine() throws IOException {
        String to = "defaultSite: main\n\tfoo: bar\n";
        int line = lineOf(edit("sites.yaml", "defaultSite: main\n", to), to, "\tfoo");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line + ": not valid YAML: ")
                .hasMessageContaining("TAB")
                .hasMessageNotContaining("\n");
    }

    @Test
    void unknownKeyInASiteNamesFileLineAndKey() throws IOException {
        String to = "    name: GH Clinic\n    adress: typo\n";
        int line = lineOf(edit("sites.yaml", "    name: GH Clinic\n", to), to, "    adress");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line + ", key 'sites.gh-clinic.adress': ")
                .hasMessageContaining("unknown key 'adress'");
    }

    @Test
    void unknownKeyInAServicePolicyNamesFileLineAndKey() throws IOException {
        String to = "        reminders: [72h, 24h, 2h]\n        quiet: yes\n";
        int line = lineOf(edit("sites.yaml", "        reminders: [72h, 24h, 2h]\n", to), to, "        quiet");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line
                        + ", key 'sites.gh-clinic.services.76164006.quiet': ");
    }

    @Test
    void unknownPhoneRegionNamesItsKey() throws IOException {
        int line = edit("sites.yaml", "    phoneRegion: GB", "    phoneRegion: XX");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line + ", key 'sites.royal-london.phoneRegion': 'XX'");
    }

    @Test
    void reminderThatIsNotADurationNamesItsKey() throws IOException {
        int line = edit("sites.yaml", "reminders: [48h, 2h]", "reminders: [48x]");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("sites.yaml") + ", line " + line + ", key 'defaultPolicy.reminders[0]': '48x' is not a duration "
                        + "(write e.g. 48h, 90m, 1d12h)");
    }

    @Test
    void remindersGivenAsOneValueInsteadOfAListNamesLineAndKey() throws IOException {
        int line = edit("sites.yaml", "  reminders: [48h, 2h]", "  reminders: 48h");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line + ", key 'defaultPolicy.reminders': ");
    }

    @Test
    void unknownTimeZoneNamesItsKey() throws IOException {
        int line = edit("sites.yaml", "zone: America/Detroit", "zone: Mars/Base");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("sites.yaml") + ", line " + line + ", key 'sites.gh-clinic.zone': 'Mars/Base' is not a time zone");
    }

    @Test
    void schedulingOtherThanHl7OrFhirNamesLineAndKey() throws IOException {
        int line = edit("sites.yaml", "    zone: Europe/London\n", "    zone: Europe/London\n    scheduling: smtp\n") + 1;
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("sites.yaml") + ", line " + line
                        + ", key 'sites.royal-london.scheduling': 'smtp' is not hl7 or fhir");
    }

    @Test
    void fhirOptionsAreReadAndOffByDefault() throws IOException {
        edit("sites.yaml", "    zone: Europe/London\n", "    zone: Europe/London\n    scheduling: FHIR\n"
                + "    fhir:\n      recordMessages: true\n");
        SiteDirectory sites = SiteDirectory.load(dir, ZONE, "US");
        assertThat(sites.site("royal-london").scheduling()).isEqualTo(Site.Scheduling.FHIR);
        assertThat(sites.site("royal-london").fhir()).isEqualTo(new Site.FhirWriteback(false, true));
        assertThat(sites.site("main").scheduling()).isNull();
        assertThat(sites.site("main").fhir()).isEqualTo(Site.FhirWriteback.DEFAULT);
        assertThat(sites.usesFhirWriteback()).isTrue();
    }

    @Test
    void misspelledFhirOptionNamesLineAndKey() throws IOException {
        int line = edit("sites.yaml", "    zone: Europe/London\n", "    zone: Europe/London\n    fhir:\n"
                + "      patientsMayCancell: true\n") + 2;
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("sites.yaml") + ", line " + line
                        + ", key 'sites.royal-london.fhir.patientsMayCancell': ");
    }

    @Test
    void defaultSiteNamingNoSite() throws IOException {
        int line = edit("sites.yaml", "defaultSite: main", "defaultSite: mian");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("sites.yaml") + ", line " + line + ", key 'defaultSite': no site named 'mian'");
    }

    @Test
    void siteLeftEmptyNamesLineAndKey() throws IOException {
        String from = "  royal-london:\n    name: Royal London Hospital - Renal OPD\n";
        int line = edit("sites.yaml", from + "    address: Whitechapel Road, London E1 1FR\n"
                        + "    phone: \"+44 20 7377 7000\"\n    zone: Europe/London\n    phoneRegion: GB\n    emergencyNumber: \"999\"\n"
                        + "    latitude: 51.5185\n"
                        + "    longitude: -0.0590\n    matches: [\"RNJ ROYALLONDON\", \"RNJ Renal OPD\", \"BLT\"]\n"
                        + "    demo: true\n",
                "  royal-london:\n");
        assertThatThrownBy(() -> SiteDirectory.load(dir, ZONE, "US"))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("sites.yaml") + ", line " + line + ", key 'sites.royal-london': no value given");
    }

    // ---- templates.yaml ----

    @Test
    void unknownTemplateVariableNamesItsKey() throws IOException {
        int line = edit("templates.yaml", "body: [patient_first_name, date, time, facility_name, clinic_phone]",
                "body: [patient_first_name, date, time, facility_name, clinic_phone_number]");
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("templates.yaml") + ", line " + line
                        + ", key 'templates.cancelled.body[4]': unknown variable 'clinic_phone_number'; known: ");
    }

    @Test
    void missingMessageKindNamesItsKey() throws IOException {
        edit("templates.yaml", "  rescheduled:\n    name: appointment_rescheduled\n    defaultLanguage: en_US\n"
                + "    languages: { en: en_US, es: es }\n    body: [patient_first_name, provider, date, time, facility_name]\n"
                + "    withoutProvider:\n      name: appointment_rescheduled_no_provider\n"
                + "      body: [patient_first_name, date, time, facility_name]\n", "");
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                // a kind that is not there is reported at the line of templates:, the nearest key that is
                .hasMessage(dir.resolve("templates.yaml") + ", line " + lineOfKey("templates.yaml", "templates:")
                        + ", key 'templates.rescheduled': missing");
    }

    @Test
    void misspelledMessageKindNamesItsKey() throws IOException {
        int line = edit("templates.yaml", "  cancelled:\n", "  canceled:\n");
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("templates.yaml") + ", line " + line + ", key 'templates.canceled': not a message kind "
                        + "(known: [confirmation, reminder, rescheduled, cancelled, results_available, results_updated, "
                        + "document_available, document_attached, follow_up, opt_in])");
    }

    @Test
    void unknownKeyInATemplateNamesLineAndKey() throws IOException {
        String to = "    name: appointment_reminder\n    language: en_US\n";
        int line = lineOf(edit("templates.yaml", "    name: appointment_reminder\n", to), to, "    language");
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("templates.yaml") + ", line " + line
                        + ", key 'templates.reminder.language': unknown key 'language'");
    }

    // ---- siu.yaml ----

    @Test
    void unknownAppointmentFieldNamesItsKey() throws IOException {
        int line = edit("siu.yaml", "  serviceName:\n", "  serviceTitle:\n");
        assertThatThrownBy(() -> SiuMapping.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("siu.yaml") + ", line " + line + ", key 'fields.serviceTitle': unknown field; known: ");
    }

    @Test
    void unknownKeyInASourceNamesLineAndKey() throws IOException {
        String to = "    - path: /.AIS-7\n      unit: /.AIS-8-1\n";
        int line = lineOf(edit("siu.yaml", "    - path: /.AIS-7\n      units: /.AIS-8-1\n", to), to, "      unit:");
        assertThatThrownBy(() -> SiuMapping.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("siu.yaml") + ", line " + line + ", key 'fields.duration[0].unit': ");
    }

    @Test
    void unknownTopLevelKeyNamesLineAndKey() throws IOException {
        int line = edit("siu.yaml", "phones:\n", "phone:\n");
        assertThatThrownBy(() -> SiuMapping.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("siu.yaml") + ", line " + line + ", key 'phone': ");
    }

    @Test
    void triggerMappedToAnUnknownEventNamesItsKey() throws IOException {
        int line = edit("siu.yaml", "  S15: cancel\n", "  S15: cancelled\n");
        assertThatThrownBy(() -> SiuMapping.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith(dir.resolve("siu.yaml") + ", line " + line + ", key 'triggers.S15': 'cancelled' is not one of ");
    }

    @Test
    void triggerWithNoEventNamesLineAndKey() throws IOException {
        int line = edit("siu.yaml", "  S26: no-show\n", "  S26:\n");
        assertThatThrownBy(() -> SiuMapping.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("siu.yaml") + ", line " + line + ", key 'triggers.S26': no value given");
    }

    @Test
    void fieldWithNoSourcesNamesLineAndKey() throws IOException {
        // The patient's language comes from pieces.yaml; a "language:" written here with nothing after it is a slip.
        int line = edit("siu.yaml", "\nfields:\n", "\nfields:\n  language:\n") + 2;
        assertThatThrownBy(() -> SiuMapping.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("siu.yaml") + ", line " + line + ", key 'fields.language': no value given");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Files.delete(dir.resolve("templates.yaml"));
        assertThatThrownBy(() -> TemplateCatalog.load(dir))
                .isInstanceOf(MappingException.class)
                .hasMessage(dir.resolve("templates.yaml") + ": file not found");
    }

    // ---- the command line ----

    /** Careline's main, as a process: exit code 2 and one line on standard error, no stack trace. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key     | sites.yaml     | '    name: GH Clinic\\n' | '    name: GH Clinic\\n    adress: x\\n' | key 'sites.gh-clinic.adress'",
            "bad indentation | sites.yaml     | '    name: GH Clinic\\n' | '    name: GH Clinic\\n   address: x\\n'  | not valid YAML",
            "unknown event   | siu.yaml       | '  S15: cancel\\n'       | '  S15: cancelled\\n'                    | key 'triggers.S15'",
            "empty value     | templates.yaml | 'name: appointment_reminder\\n' | 'name:\\n'                 | key 'templates.reminder': template name is required",
    })
    void mainExitsWithCode2AndOneLineForABrokenMapping(String what, String file, String from, String to,
                                                      String expected) throws Exception {
        edit(file, from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        EngineProcess careline = EngineProcess.start(env(dir), dir, "main");
        try {
            assertThat(careline.awaitExit(Duration.ofSeconds(60))).as(careline.output()).isEqualTo(2);
            List<String> lines = meaningful(careline.stderr());
            assertThat(lines).as(careline.output()).hasSize(1);
            assertThat(lines.get(0)).startsWith("careline: " + dir.resolve(file)).contains(expected);
            assertThat(careline.stdout()).isEmpty();
        } finally {
            careline.close();
        }
    }

    @ParameterizedTest(name = "CARELINE_HTTP_PORT={0}")
    @CsvSource(delimiter = '|', value = {
            "80 80 | CARELINE_HTTP_PORT must be a whole number, got '80 80'",
            "70000 | CARELINE_HTTP_PORT must be a port number from 1 to 65535, got '70000'",
    })
    void mainExitsWithCode2AndOneLineForABadSetting(String port, String message) throws Exception {
        Map<String, String> env = env(Path.of("mappings").toAbsolutePath());
        env.put("CARELINE_HTTP_PORT", port);
        EngineProcess careline = EngineProcess.start(env, dir, "settings");
        try {
            assertThat(careline.awaitExit(Duration.ofSeconds(60))).as(careline.output()).isEqualTo(2);
            assertThat(meaningful(careline.stderr())).containsExactly("careline: " + message);
        } finally {
            careline.close();
        }
    }

    @Test
    void mainExitsWithCode2AndOneLineWhenItsHttpPortIsTaken() throws Exception {
        Map<String, String> env = env(Path.of("mappings").toAbsolutePath());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            env.put("CARELINE_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            EngineProcess careline = EngineProcess.start(env, dir, "port");
            try {
                assertThat(careline.awaitExit(Duration.ofSeconds(60))).as(careline.output()).isEqualTo(2);
                assertThat(meaningful(careline.stderr())).containsExactly("careline: CARELINE_HTTP_PORT "
                        + taken.getLocalPort() + " is already in use by another program");
            } finally {
                careline.close();
            }
        }
    }

    private Map<String, String> env(Path mappings) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_MLLP_PORT", String.valueOf(EngineFixture.freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(EngineFixture.freePort()));
        // If a mapping were (wrongly) accepted, the engine would open this database: never the checkout's ./data.
        env.put("CARELINE_DB_URL", "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        return env;
    }

    /** Standard error without the JVM's own notice about option variables set on this machine. */
    private static List<String> meaningful(String stderr) {
        return stderr.lines().filter(l -> !l.isBlank()).filter(l -> !l.startsWith("Picked up ")).toList();
    }
}
