package org.careline.support;

import org.careline.Engine;
import org.careline.config.Settings;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real engine for a test: its own H2 file database, free ports, the project's routes/ and mappings/, and a
 * {@link MetaStub} in place of Meta. Time is a {@link MutableClock} the test moves. CARELINE_DB_URL, _USER and
 * _PASSWORD in {@code extraEnv} put the engine on another database instead (PostgresSchemaTest); {@link #query}
 * then returns that driver's column types (e.g. java.sql.Timestamp for timestamptz on PostgreSQL).
 */
public final class EngineFixture implements AutoCloseable {

    public static final String TOKEN = "test-token-123";
    public static final String PHONE_NUMBER_ID = "109876543210";
    /** WHATSAPP_APP_SECRET of every test engine: what {@link MetaWebhooks} signs webhook bodies with. */
    public static final String APP_SECRET = "test-app-secret-456";
    /** WHATSAPP_VERIFY_TOKEN of every test engine. */
    public static final String VERIFY_TOKEN = "test-verify-token-789";

    public final MetaStub meta;
    public final MutableClock clock;
    public final Engine engine;
    public final Settings settings;
    public final Path dataDir;

    private EngineFixture(MetaStub meta, MutableClock clock, Engine engine, Settings settings, Path dataDir) {
        this.meta = meta;
        this.clock = clock;
        this.engine = engine;
        this.settings = settings;
        this.dataDir = dataDir;
    }

    public static EngineFixture start() throws Exception {
        return start(Map.of(), Instant.now());
    }

    /** {@code extraEnv} replaces defaults; a null value removes one (e.g. WHATSAPP_APP_SECRET: unset). */
    public static EngineFixture start(Map<String, String> extraEnv, Instant now) throws Exception {
        MetaStub meta = new MetaStub();
        Path dataDir = Files.createTempDirectory("careline-test");
        Map<String, String> env = new HashMap<>();
        env.put("CARELINE_MLLP_PORT", String.valueOf(freePort()));
        env.put("CARELINE_HTTP_PORT", String.valueOf(freePort()));
        env.put("CARELINE_DB_URL", "jdbc:h2:file:" + dataDir.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        env.put("CARELINE_TIMEZONE", "America/New_York");
        env.put("CARELINE_PHONE_REGION", "US");
        env.put("WHATSAPP_API_BASE", meta.baseUrl());
        env.put("WHATSAPP_API_VERSION", "v23.0");
        env.put("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
        env.put("WHATSAPP_ACCESS_TOKEN", TOKEN);
        env.put("CARELINE_DISPATCH_INTERVAL_MS", "100");
        env.put("CARELINE_RETRY_BASE_MS", "100");
        env.put("WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
        env.put("CARELINE_WEBHOOK_INTERVAL_MS", "50");
        env.putAll(extraEnv);
        env.values().removeIf(v -> v == null);
        Settings settings = Settings.from(env);
        // The databases keep microseconds: a clock with nanoseconds would store "due now" rounded up, a moment
        // after the frozen now, and a message due at once would never be due.
        MutableClock clock = new MutableClock(now.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        Engine engine = Engine.start(settings, clock);
        return new EngineFixture(meta, clock, engine, settings, dataDir);
    }

    public int mllpPort() {
        return settings.mllpPort();
    }

    public int httpPort() {
        return settings.httpPort();
    }

    public MllpClient mllp() throws IOException {
        return new MllpClient(mllpPort());
    }

    /** Rows of a query as column → value maps (column names upper-case). */
    public List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
        try (Connection c = engine.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toUpperCase(), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    public long count(String sql, Object... args) throws SQLException {
        return ((Number) query(sql, args).get(0).values().iterator().next()).longValue();
    }

    /** Ports handed out in this JVM: the OS may give a just-closed ephemeral port again (MLLP and HTTP once got
     *  the same one), so each is handed out once. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            engine.close();
        } finally {
            meta.close();
        }
    }
}
