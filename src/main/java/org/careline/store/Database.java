package org.careline.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.careline.model.DatabaseSettings;
import org.careline.store.crypto.FieldCipher;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/** The connection pool, migrated by Flyway before anything else touches it. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final GroupCommit groupCommit;
    private final java.util.concurrent.atomic.AtomicBoolean compactOnClose = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Off until the engine opens its key ring (docs/encryption.md); the store classes are built with it. */
    private volatile FieldCipher cipher = FieldCipher.off();

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.groupCommit = new GroupCommit(dataSource);
    }

    /**
     * H2 keeps 8 parsed statements per connection by default. An SIU runs about a dozen distinct statements in
     * turn, so with 8 every one was parsed again on every message; 64 holds all of them. Other databases and URLs
     * that set the size themselves are left as they are.
     */
    static String withStatementCache(String url) {
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            return url + ";QUERY_CACHE_SIZE=64";
        }
        return url;
    }

    public static Database open(DatabaseSettings settings) {
        DataFolder.prepare(settings.url());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withStatementCache(settings.url()));
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(16);
        config.setAutoCommit(true);
        config.setPoolName("careline-db");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            // Versions 1-8 are SQL files; 9 is Java (TrailMigration: a PostgreSQL-only trigger beside portable SQL).
            Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .javaMigrations(new TrailMigration()).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        DataFolder.tighten(settings.url());
        return new Database(ds);
    }

    /** The engine's field cipher: what the store classes built for this database seal and open with. */
    public FieldCipher cipher() {
        return cipher;
    }

    /** Set once at start, before any store class is built for this database. */
    public void useCipher(FieldCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs work in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable e) {
                // Errors too (an AssertionError, a StackOverflowError): else the finally below would commit the
                // half-done work, as setAutoCommit(true) commits an open transaction.
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure); // keep the cause that matters in front
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool discards a broken connection
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs work in a transaction it may share with other callers arriving at the same time (group commit, see
     * {@link GroupCommit}); returns once that transaction is committed. The work must touch only the database
     * through {@code c}: it may be rolled back to its savepoint alone if it throws.
     */
    public <T> T inSharedTransaction(Work<T> work) {
        return groupCommit.run(work);
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws Exception;
    }

    /**
     * Asks for the database file to be rewritten when the engine stops (after a purge or an erasure). H2 2.x
     * (MVStore) keeps deleted and overwritten values in the file's free space until it happens to reuse it; nothing
     * it offers while the database is open (CHECKPOINT SYNC included) removes them: only SHUTDOWN COMPACT, which
     * closes the database, writes a file with the live data alone. PostgreSQL is left to its own vacuum.
     */
    public void compactOnClose() {
        compactOnClose.set(true);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        String url = dataSource.getJdbcUrl();
        // Only an embedded file: a server's database (tcp, ssl) is not ours to shut down.
        if (compactOnClose.get() && url.startsWith("jdbc:h2:") && !url.matches("(?i)jdbc:h2:(mem|tcp|ssl):.*")) {
            try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                // the data is intact either way; only the removed values may stay in the file's free space
                org.slf4j.LoggerFactory.getLogger(Database.class).warn("SHUTDOWN COMPACT failed: {}", e.getSQLState());
            }
        }
        dataSource.close();
    }
}
