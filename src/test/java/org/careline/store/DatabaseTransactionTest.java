package org.careline.store;

import org.careline.config.Settings;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Database.inTransaction: what the work did is committed only when it returns. */
class DatabaseTransactionTest {

    @Test
    void h2ConnectionsKeepEnoughParsedStatementsForAMessagesWholeTransaction() throws Exception {
        try (Database db = Database.open(Settings.from(Map.of("CARELINE_DB_URL",
                "jdbc:h2:mem:cache-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")).database())) {
            String size = db.inTransaction(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                        + "WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
            assertThat(size).isEqualTo("64");
        }
        assertThat(Database.withStatementCache("jdbc:h2:mem:x;query_cache_size=5")).endsWith("=5");
        assertThat(Database.withStatementCache("jdbc:postgresql://db/careline")).isEqualTo("jdbc:postgresql://db/careline");
    }

    @Test
    void anErrorThrownByTheWorkRollsItBackLikeAnException() throws Exception {
        try (Database db = Database.open(Settings.from(Map.of("CARELINE_DB_URL",
                "jdbc:h2:mem:tx-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")).database())) {
            assertThatThrownBy(() -> db.inTransaction(c -> {
                insertAlert(c, "error");
                throw new AssertionError("an Error, not an Exception");
            })).isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> db.inTransaction(c -> {
                insertAlert(c, "exception");
                throw new IllegalStateException("an Exception");
            })).isInstanceOf(IllegalStateException.class);
            db.inTransaction(c -> {
                insertAlert(c, "returned");
                return null;
            });

            int rows = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert WHERE kind <> 'returned'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isZero();
        }
    }

    private static void insertAlert(java.sql.Connection c, String kind) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alert (kind, raised_at) VALUES (?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, kind);
            ps.executeUpdate();
        }
    }
}
