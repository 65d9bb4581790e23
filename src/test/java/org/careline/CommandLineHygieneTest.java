package org.careline;

import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, command-line hygiene: help and typos never start the engine; every command's failure is one line
 * without a stack trace or a Java class name; a wrong setting ends the start with one line naming the variable.
 */
class CommandLineHygieneTest {

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

    /** One line on standard error, exit 2, nothing a Java programmer would have to read for the operator. */
    private static void assertOneCleanLine(Run r, String startsWith) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().toList()).as(r.err()).singleElement()
                .satisfies(l -> assertThat(l).startsWith(startsWith));
        assertThat(r.err()).doesNotContain("\tat ").doesNotContainPattern("[A-Za-z]+Exception\\b")
                .doesNotContain("java.", "org.careline");
    }

    @Test
    void aMistypedCommandIsNamedWithTheNearestOneAndStartsNothing() {
        Run r = run(Map.of(), "sendhl7");
        assertOneCleanLine(r, "careline: unknown command 'sendhl7'; did you mean send-hl7?");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownOptionIsOneLine() {
        assertOneCleanLine(run(Map.of(), "--hlep"), "careline: unknown option '--hlep'");
        assertOneCleanLine(run(Map.of(), "users", "list", "--bogus"), "careline users list: unknown option '--bogus'");
    }

    /**
     * The real entry point, in its own JVM: {@code main} decides whether the engine runs. Were it started, the
     * process would not end (and would log "starting Careline"), so the timeout fails the test.
     */
    @ParameterizedTest(name = "careline {0}")
    @CsvSource(delimiter = '|', textBlock = """
            --help    | 0 | Usage: careline
            -h        | 0 | Usage: careline
            sendhl7   | 2 | unknown command 'sendhl7'; did you mean send-hl7?
            help      | 2 | unknown command 'help'
            """)
    void helpAndTyposNeverStartTheEngine(String arg, int exitCode, String says) throws Exception {
        Path log = Files.createTempFile("careline-main", ".txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Careline.class.getName(), arg)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("careline " + arg + " ended by itself; output: " + output).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(exitCode);
        assertThat(output).contains(says).doesNotContain("starting Careline").doesNotContain("\tat ");
    }

    @Test
    void sendHl7UsageNamesThePortSettingItsDefaultAndTheTarget() {
        Run help = run(Map.of(), "send-hl7", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("FILE", "[HOST[:PORT]]", "CARELINE_MLLP_PORT", "2575");
    }

    @Test
    void sendHl7ToAnEngineThatIsDownSaysSoInOneLine(@TempDir Path dir) throws IOException {
        Path message = Files.writeString(dir.resolve("s12.hl7"), "MSH|^~\\&|A|B|C|D|20250101||SIU^S12|1|P|2.5\n");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run r = run(Map.of("CARELINE_MLLP_PORT", String.valueOf(port)), "send-hl7", message.toString());
        assertOneCleanLine(r, "careline send-hl7: nothing listens at localhost:" + port + " (connection refused)");
        assertThat(r.err()).contains("is the engine running?");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing file        | /nonexistent/s12.hl7 | localhost      |        | careline send-hl7: no such file: /nonexistent/s12.hl7
            a directory         | .                    | localhost      |        | careline send-hl7: . is a directory
            port not a number   | MESSAGE              | localhost:abc  |        | careline send-hl7: the port in 'localhost:abc' must be a number from 1 to 65535
            port out of range   | MESSAGE              | localhost:70000|        | careline send-hl7: the port in 'localhost:70000' must be a number from 1 to 65535
            no host             | MESSAGE              | :2575          |        | careline send-hl7: HOST[:PORT] needs a host
            bad port setting    | MESSAGE              | localhost      | 25x    | careline send-hl7: CARELINE_MLLP_PORT must be a whole number, got '25x'
            port setting range  | MESSAGE              | localhost      | 0      | careline send-hl7: CARELINE_MLLP_PORT must be a port number from 1 to 65535
            unknown host        | MESSAGE              | no-such-host.invalid:2575 |  | careline send-hl7: unknown host 'no-such-host.invalid'
            """)
    void sendHl7MistakesAreOneLine(String what, String file, String target, String envPort, String says,
                                   @TempDir Path dir) throws IOException {
        Path message = Files.writeString(dir.resolve("s12.hl7"), "MSH|^~\\&|A|B|C|D|20250101||SIU^S12|1|P|2.5\n");
        Map<String, String> env = new HashMap<>();
        if (envPort != null) {
            env.put("CARELINE_MLLP_PORT", envPort);
        }
        Run r = run(env, "send-hl7", file.equals("MESSAGE") ? message.toString() : file, target);
        assertOneCleanLine(r, says);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost             |      | localhost:2575
            localhost             | 3575 | localhost:3575
            ehr.example.org:6661  | 3575 | ehr.example.org:6661
            10.1.2.3              |      | 10.1.2.3:2575
            """)
    void sendHl7FindsTheEngineWhereTheSameEnvironmentPutsIt(String target, String envPort, String address) {
        Map<String, String> env = envPort == null ? Map.of() : Map.of("CARELINE_MLLP_PORT", envPort);
        assertThat(SendHl7Command.destination(target, env)).hasToString(address)
                .isInstanceOf(SendHl7Command.Address.class);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            WHATSAPP_API_BASE              | not-a-url | careline: WHATSAPP_API_BASE must be an http(s) URL such as https://graph.facebook.com, got 'not-a-url'
            CARELINE_SEND_RATE_PER_SECOND  | -5        | careline: CARELINE_SEND_RATE_PER_SECOND must be a number of messages from 1 to 100000, got '-5'
            CARELINE_DB_URL                | postgres://db/careline | careline: CARELINE_DB_URL must be a JDBC URL
            CARELINE_HTTP_PORT             | 70000     | careline: CARELINE_HTTP_PORT must be a port number from 1 to 65535, got '70000'
            """)
    void aWrongSettingEndsTheStartWithOneLineNamingIt(String variable, String value, String says) {
        Run r = run(Map.of(variable, value));
        assertOneCleanLine(r, says);
        Run viaRun = run(Map.of(variable, value), "run");
        assertOneCleanLine(viaRun, says);
    }

    /** Each command with a bad argument, or a database it cannot reach. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            users list without a database      | users list                            | cannot open the database at CARELINE_DB_URL
            users add, wrong role              | users add ann --role nurse            | --role nurse: not a role
            audit verify without a database    | audit verify                          | cannot open the database at CARELINE_DB_URL
            keys status without a database     | keys status                           | cannot open the database at CARELINE_DB_URL
            keys rotate without a master key   | keys rotate                           | encryption at rest is off
            report without a database          | report --site main --month 2020-01    | cannot open the database at CARELINE_DB_URL
            report, month not a month          | report --site main --month soon       | careline report:
            register, wrong format             | register --format xml                 | careline
            config, unknown option             | config --yaml                         | careline config: unknown option '--yaml'
            bench, unknown option              | bench --bogus                         | careline: unknown bench option: --bogus
            send-hl7 without a file            | send-hl7                              | careline send-hl7: Missing required parameter: 'FILE'
            """)
    void everyCommandFailsInOneLine(String what, String args, String says) {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_DB_URL", "jdbc:postgresql://127.0.0.1:1/careline");
        env.put("CARELINE_MAPPINGS_DIR", Path.of("mappings").toAbsolutePath().toString());
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        Run r = run(env, args.split(" "));
        assertThat(r.exitCode()).as(what + ": " + r.err()).isNotZero();
        assertThat(r.err().strip().lines().toList()).as(what + ": " + r.err()).singleElement()
                .satisfies(l -> assertThat(l).startsWith(says.startsWith("careline") ? says : l).contains(says));
        assertThat(r.err()).as(what).doesNotContain("\tat ").doesNotContainPattern("[A-Za-z]+Exception\\b");
    }

    @Test
    void validateAndEveryCommandSayAWrongSettingByItsName() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MAPPINGS_DIR", TestMappings.copy().toString());
        env.put("CARELINE_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        env.put("CARELINE_DB_URL", "not-jdbc");
        List<Run> runs = new ArrayList<>();
        runs.add(run(env, "validate"));
        runs.add(run(env, "users", "list"));
        runs.add(run(env, "audit", "verify"));
        for (Run r : runs) {
            // users keeps its exit code 1 for a database it cannot open; the others say 2.
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.err().strip().lines().toList()).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("careline: CARELINE_DB_URL must be a JDBC URL"));
        }
    }
}
