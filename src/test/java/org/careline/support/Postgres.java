package org.careline.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One embedded PostgreSQL (zonky, binaries from Maven Central) for the test JVM, and a fresh database per call,
 * owned by a non-superuser role as in production. As root, zonky runs initdb/pg_ctl under {@code unshare -U}.
 */
public final class Postgres {

    public static final String USER = "careline";
    public static final String PASSWORD = "careline-test";

    private static EmbeddedPostgres pg;

    private Postgres() {
    }

    /** The environment that points an engine at a new, empty database. */
    public static synchronized Map<String, String> freshDatabaseEnv() throws Exception {
        if (pg == null) {
            try {
                pg = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
            } catch (RuntimeException | java.io.IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not start (its initdb/pg_ctl output is in "
                        + "this test's log). As root, zonky needs 'unshare -U' (util-linux) and user namespaces to run "
                        + "it as an unprivileged user.", e);
            }
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
        }
        String name = "careline_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER);
        }
        return Map.of("CARELINE_DB_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name,
                "CARELINE_DB_USER", USER, "CARELINE_DB_PASSWORD", PASSWORD);
    }
}
