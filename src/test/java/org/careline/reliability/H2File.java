package org.careline.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The H2 file an engine process runs on, read by the suite: directly once the engine is dead or stopped, or (with
 * AUTO_SERVER) through the running engine. Each read opens and closes its own connection, so the suite never holds
 * the file when the next engine starts.
 */
final class H2File {

    private final String url;

    /**
     * @param autoServer AUTO_SERVER=TRUE lets the suite read while the engine runs; H2 refuses it together with
     *                   DB_CLOSE_ON_EXIT=FALSE, so such an engine must not be relied on to record sends at SIGTERM
     */
    H2File(Path dir, boolean autoServer) {
        this.url = "jdbc:h2:file:" + dir.resolve("careline").toAbsolutePath() + ";WRITE_DELAY=0"
                + (autoServer ? ";AUTO_SERVER=TRUE" : ";DB_CLOSE_ON_EXIT=FALSE");
    }

    String url() {
        return url;
    }

    long count(String sql, Object... args) throws SQLException {
        List<List<Object>> rows = rows(sql, args);
        return ((Number) rows.get(0).get(0)).longValue();
    }

    List<String> strings(String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        for (List<Object> row : rows(sql, args)) {
            out.add(row.get(0) == null ? null : row.get(0).toString());
        }
        return out;
    }

    /** First column → second column (as a long), for GROUP BY counts. */
    Map<String, Long> counts(String sql, Object... args) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (List<Object> row : rows(sql, args)) {
            out.put(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue());
        }
        return out;
    }

    List<List<Object>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "careline", "");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<List<Object>> out = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int k = 1; k <= n; k++) {
                        row.add(rs.getObject(k));
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }
}
