package org.careline;

import com.lowagie.text.pdf.PdfReader;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code careline report}, in-process: the files written and their paths printed; one line for an unknown site, a
 * bad month, a month not over, a bad format, and a database the running engine holds. And {@code validate} naming
 * the line of a wrong key in mappings/reports.yaml.
 */
class ReportCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Careline.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private static Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-report-cli").resolve("db")
                + ";WRITE_DELAY=0");
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        return env;
    }

    @Test
    void writesBothFilesAndPrintsTheirPaths() throws Exception {
        Path out = Files.createTempDirectory("careline-report-out");
        Run r = run(env(), "report", "--site", "gh-clinic", "--month", "2025-11", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path pdf = out.resolve("careline-gh-clinic-2025-11.pdf");
        Path csv = out.resolve("careline-gh-clinic-2025-11.csv");
        assertThat(r.out().lines()).containsExactly(pdf.toAbsolutePath().normalize().toString(),
                csv.toAbsolutePath().normalize().toString());
        assertThat(Files.readString(csv)).startsWith("section,figure,value,unit\r\nreport,site,gh-clinic,\r\n");
        PdfReader reader = new PdfReader(Files.readAllBytes(pdf));
        assertThat(reader.getNumberOfPages()).isEqualTo(3);
        reader.close();

        Path onlyCsv = Files.createTempDirectory("careline-report-csv");
        Run c = run(env(), "report", "--site", "royal-london", "--month", "2025-11", "--out", onlyCsv.toString(),
                "--format", "csv");
        assertThat(c.exitCode()).as(c.err()).isZero();
        try (var files = Files.list(onlyCsv)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("careline-royal-london-2025-11.csv");
        }
    }

    @Test
    void eachProblemIsOneLine() throws Exception {
        Map<String, String> env = env();
        assertOneLine(run(env, "report", "--site", "nowhere", "--month", "2025-11"), "unknown site 'nowhere'");
        assertOneLine(run(env, "report", "--site", "gh-clinic", "--month", "2025-13"), "YYYY-MM");
        assertOneLine(run(env, "report", "--site", "gh-clinic", "--month", "2999-01"), "not over");
        assertOneLine(run(env, "report", "--site", "gh-clinic", "--month", "2025-11", "--format", "xls"),
                "--format must be pdf, csv or both");
    }

    @Test
    void aDatabaseAnotherProcessHoldsIsSaidInOneLineNamingTheOtherWays() throws Exception {
        Map<String, String> env = env();
        // Another JVM holds the H2 file as a running engine does (an engine in this JVM would share it): H2's Shell,
        // connected and waiting on its standard input.
        String h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                h2, "org.h2.tools.Shell", "-url", env.get("CARELINE_DB_URL"), "-user", "careline", "-password", "")
                .redirectErrorStream(true).start();
        try {
            // The Shell prompts "sql>" (no line end) once connected.
            java.io.Reader output = new java.io.InputStreamReader(holder.getInputStream());
            StringBuilder seen = new StringBuilder();
            int ch;
            while (seen.indexOf("sql>") < 0 && (ch = output.read()) >= 0) {
                seen.append((char) ch);
            }
            assertThat(seen.toString()).contains("sql>");
            Run r = run(env, "report", "--site", "gh-clinic", "--month", "2025-11", "--out",
                    Files.createTempDirectory("careline-report-locked").toString());
            assertOneLine(r, "cannot open the database");
            assertThat(r.err()).contains("Monthly report button").contains("POST /api/v1/reports");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void validateNamesTheLineOfAWrongKeyInReportsYaml() throws IOException {
        Path mappings = TestMappings.copy();
        Files.writeString(mappings.resolve("reports.yaml"), """
                default:
                  costPerSlot: 100
                sites:
                  gh-clinic:
                    currency: DOLLARS
                """);
        Map<String, String> env = env();
        env.put("CARELINE_MAPPINGS_DIR", mappings.toString());
        Run r = run(env, "validate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("reports.yaml, line 5, key 'sites.gh-clinic.currency'");

        Files.writeString(mappings.resolve("reports.yaml"), """
                sites:
                  gh-clinic:
                    channels: [managers]
                """);
        r = run(env, "validate");
        assertThat(r.err()).contains("reports.yaml, line 3, key 'sites.gh-clinic.channels[0]'")
                .contains("'managers' is not a channel of notifications.yaml");

        Files.writeString(mappings.resolve("notifications.yaml"), """
                channels:
                  managers:
                    type: webhook
                    url: https://hooks.example.org/x
                    secretEnv: CARELINE_TEST_SECRET
                routes: {}
                """);
        env.put("CARELINE_TEST_SECRET", "s3cret-value");
        r = run(env, "validate");
        assertThat(r.err()).contains("key 'sites.gh-clinic.channels[0]'").contains("not an e-mail channel");

        Files.writeString(mappings.resolve("reports.yaml"), """
                sites:
                  nowhere:
                    costPerSlot: -1
                """);
        r = run(env, "validate");
        assertThat(r.err()).contains("reports.yaml, line 2, key 'sites.nowhere'").contains("not a site");
    }

    private static void assertOneLine(Run r, String says) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(says);
    }
}
