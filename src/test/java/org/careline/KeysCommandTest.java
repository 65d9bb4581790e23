package org.careline;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code careline keys rotate} and {@code keys status}, in-process on an H2 file. */
class KeysCommandTest {

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

    private static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void rotateAddsAnActiveKeyAndStatusCountsPerKey() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("CARELINE_DB_URL", "jdbc:h2:file:"
                + Files.createTempDirectory("careline-keys").resolve("db") + ";WRITE_DELAY=0"));
        String key = randomKey();

        Run off = run(env, "keys", "rotate");
        assertThat(off.exitCode()).isEqualTo(2);
        assertThat(off.err()).contains("encryption at rest is off");

        env.put("CARELINE_MASTER_KEY", key);
        Run first = run(env, "keys", "rotate");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("new active data key k").contains("(1 keys held)");
        Thread.sleep(1100); // key ids and ages go by the second
        Run second = run(env, "keys", "rotate");
        assertThat(second.out()).contains("(2 keys held)").doesNotContain(key);

        Run status = run(env, "keys", "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("(active): 0 values", "clear: 0 values", "not yet hashed: 0");
        assertThat(status.out().lines().filter(l -> l.startsWith("k"))).hasSize(2);

        env.put("CARELINE_MASTER_KEY", randomKey());
        Run wrong = run(env, "keys", "rotate");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("the master key does not open data key");
    }
}
