package org.careline;

import org.careline.config.Settings;
import org.careline.model.AuditEntry;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code careline audit verify}, in-process, on H2 and on PostgreSQL: 0 with a summary for an untouched trail; 1
 * naming the entry (seq and id) when a row was changed or removed by SQL behind the engine's back.
 */
class AuditVerifyCommandTest {

    private static final Instant NOW = Instant.parse("2030-03-05T15:00:00Z");

    private record Run(int exitCode, String out, String err) {
    }

    private static Run verify(Map<String, String> env) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Careline.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute("audit", "verify"), out.toString(), err.toString());
    }

    private static Map<String, String> env(String database) throws Exception {
        return database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-audit")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
    }

    /** Ten entries written as the API and the engine write them; unsealed until verify seals them. */
    private static void writeEntries(Map<String, String> env) {
        AuditLog log = new AuditLog();
        try (Database db = Database.open(Settings.from(env).database())) {
            for (int i = 0; i < 10; i++) {
                int n = i;
                db.inTransaction(c -> {
                    if (n % 2 == 0) {
                        log.record(c, new AuditEntry("nurse" + n, "view_patient", 40L + n, "patient:" + (40 + n),
                                "gh-clinic", "ok", null, "10.0.0." + n), NOW.plusSeconds(n));
                    } else {
                        log.engine(c, "hl7_in", "inbound:" + n, "AA", null, NOW.plusSeconds(n));
                    }
                    return null;
                });
            }
        }
    }

    /** Runs SQL as the engine's database user; on PostgreSQL with the guard trigger off, as a DBA could. */
    private static void tamper(Map<String, String> env, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(env.get("CARELINE_DB_URL"),
                env.getOrDefault("CARELINE_DB_USER", "careline"), env.getOrDefault("CARELINE_DB_PASSWORD", ""));
             Statement s = c.createStatement()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            if (postgres) {
                s.execute("ALTER TABLE audit_event DISABLE TRIGGER careline_audit_guard");
            }
            assertThat(s.executeUpdate(sql)).isEqualTo(1);
            if (postgres) {
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER careline_audit_guard");
            }
        }
    }

    private static long idOfSeq(Map<String, String> env, long seq) throws Exception {
        try (Connection c = DriverManager.getConnection(env.get("CARELINE_DB_URL"),
                env.getOrDefault("CARELINE_DB_USER", "careline"), env.getOrDefault("CARELINE_DB_PASSWORD", ""));
             PreparedStatement ps = c.prepareStatement("SELECT id FROM audit_event WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void anUntouchedTrailVerifies(String database) throws Exception {
        Map<String, String> env = env(database);
        writeEntries(env);
        Run run = verify(env);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("audit trail intact: 10 entries checked, last seq 10");
        // Entries written after a verify chain on from where it stopped.
        writeEntries(env);
        assertThat(verify(env).out().strip()).isEqualTo("audit trail intact: 20 entries checked, last seq 20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void anEditedDetailIsNamedAsChanged(String database) throws Exception {
        Map<String, String> env = env(database);
        writeEntries(env);
        assertThat(verify(env).exitCode()).isZero();
        long id = idOfSeq(env, 4);
        tamper(env, "UPDATE audit_event SET detail = 'nothing to see' WHERE id = " + id);
        Run run = verify(env);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("entry seq 4 (id " + id + ") changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void anEditCoveredByARecomputedHashIsStillCaught(String database) throws Exception {
        Map<String, String> env = env(database);
        writeEntries(env);
        assertThat(verify(env).exitCode()).isZero();
        long id = idOfSeq(env, 6);
        // The row's own hash rewritten to anything: the next entry's link to it no longer matches.
        tamper(env, "UPDATE audit_event SET actor = 'someone else', hash = '" + "ab".repeat(32) + "' WHERE id = " + id);
        Run run = verify(env);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("entry seq 6 (id " + id + ") changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aDeletedRowIsNamedAsMissing(String database) throws Exception {
        Map<String, String> env = env(database);
        writeEntries(env);
        assertThat(verify(env).exitCode()).isZero();
        long id = idOfSeq(env, 7);
        long next = idOfSeq(env, 8);
        tamper(env, "DELETE FROM audit_event WHERE id = " + id);
        Run run = verify(env);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("entry seq 7 missing (next present: seq 8, id " + next + ")");
        // The first entry removed is a gap too.
        tamper(env, "DELETE FROM audit_event WHERE id = " + idOfSeq(env, 1));
        assertThat(verify(env).err()).contains("entry seq 1 missing");
    }
}
