package org.careline.store.crypto;

import org.careline.config.Settings;
import org.careline.store.Database;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data keys stored wrapped, on H2 and PostgreSQL: created once, rotated, refused under another master key. */
class DataKeysTest {

    private static MasterKey key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw));
    }

    private static Database open(String database) throws Exception {
        Map<String, String> env = database.equals("H2")
                ? Map.of("CARELINE_DB_URL", "jdbc:h2:file:" + Files.createTempDirectory("careline-keys")
                        .resolve("db") + ";WRITE_DELAY=0")
                : Postgres.freshDatabaseEnv();
        return Database.open(Settings.from(env).database());
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void theFirstKeyIsMadeOnceAndARotationAddsTheActiveOne(String database) throws Exception {
        MasterKey master = key();
        DataKeys keys = new DataKeys();
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        try (Database db = open(database)) {
            KeyRing first = db.inTransaction(c -> keys.ring(c, master, t0));
            KeyRing again = db.inTransaction(c -> keys.ring(c, master, t0.plusSeconds(60)));
            assertThat(again.activeId()).isEqualTo(first.activeId());
            String sealed = FieldCipher.with(first).seal("patient.family_name", "Smith");

            KeyRing rotated = db.inTransaction(c -> keys.rotate(c, master, t0.plusSeconds(120)));
            assertThat(rotated.activeId()).isNotEqualTo(first.activeId());
            assertThat(FieldCipher.with(rotated).open("patient.family_name", sealed)).isEqualTo("Smith");

            // Nothing in the table is the key itself: only its wrapped form, which the master key alone opens.
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM data_key");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
                return null;
            });
            assertThatThrownBy(() -> db.inTransaction(c -> keys.ring(c, key(), t0)))
                    .isInstanceOf(KeyRing.WrongMasterKeyException.class);
        }
    }
}
