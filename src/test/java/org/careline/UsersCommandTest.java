package org.careline;

import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code careline users add/list}: users made on the command line (password on stdin) can sign in. */
class UsersCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Careline.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new Run(cli.execute(args), out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void aUserAddedWhileTheEngineIsStoppedSignsInOnceItRuns(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Map<String, String> env = Map.of("CARELINE_DB_URL", url);
        Run added = run(env, "ward-nurse-password\n", "users", "add", "ward.nurse", "--role", "staff",
                "--site", "gh-clinic");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("added user ward.nurse");
        assertThat(added.out() + added.err()).doesNotContain("ward-nurse-password");

        Run again = run(env, "ward-nurse-password\n", "users", "add", "ward.nurse", "--role", "staff");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("exists");
        Run shortPassword = run(env, "short\n", "users", "add", "other", "--role", "staff");
        assertThat(shortPassword.exitCode()).isEqualTo(2);
        assertThat(shortPassword.err()).contains("at least 12 characters");
        Run badRole = run(env, "long-enough-password\n", "users", "add", "other", "--role", "root");
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).contains("--role root: not a role");

        Run list = run(env, "", "users", "list");
        assertThat(list.out()).contains("ward.nurse  [STAFF]  gh-clinic");

        try (EngineFixture engine = EngineFixture.start(Map.of("CARELINE_DB_URL", url), Instant.now())) {
            StaffClient.Answer in = new StaffClient(engine.httpPort()).signIn("ward.nurse", "ward-nurse-password");
            assertThat(in.status()).isEqualTo(200);
            assertThat(in.json().get("sites").toString()).isEqualTo("[\"gh-clinic\"]");
        }
    }
}
