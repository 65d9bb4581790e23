package org.careline.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one mechanism behind Careline's durable work queues (outbox, writeback_request, fhir_work, webhook_delivery):
 * finding what is due, claiming it under a lease so that engines sharing a database never work the same item at
 * once, and recording the outcome — finished (done or dead-lettered with a reason), retried later with attempts and
 * the last error, or released untouched. A claim whose engine died is taken over once its lease has run out.
 * {@link WorkTable} says which columns hold the state; each table's own store class adds its domain columns and
 * queries. Every statement runs on the caller's connection, in the caller's transaction, except
 * {@link #claimBatch}, which commits its claims itself.
 */
public final class WorkQueue {

    /** A waiting item and how often working it has failed so far. */
    public record Waiting(long id, int attempts) {
    }

    /** Sets one parameter of a statement. */
    @FunctionalInterface
    public interface Bind {
        void to(PreparedStatement ps, int index) throws SQLException;
    }

    /**
     * A domain column a queue statement sets as well (a wamid, an ACK code, an error code): {@code sql} is the
     * assignment, with at most one parameter, which {@code value} fills (null for none).
     */
    public record Assignment(String sql, Bind value) {

        public static Assignment text(String column, String value, int maxLength) {
            return new Assignment(column + " = ?", (ps, i) -> ps.setString(i, Sql.cap(value, maxLength)));
        }

        public static Assignment integer(String column, Integer value) {
            return new Assignment(column + " = ?", (ps, i) -> Sql.setInteger(ps, i, value));
        }

        public static Assignment toNull(String column) {
            return new Assignment(column + " = NULL", null);
        }

        public static Assignment time(String column, Instant value) {
            return new Assignment(column + " = ?", (ps, i) -> Sql.setInstant(ps, i, value));
        }

        /** Sets {@code column} only where it is NULL: a value given on the first attempt is kept on the next. */
        public static Assignment ifUnset(String column, String value) {
            return new Assignment(column + " = COALESCE(" + column + ", ?)", (ps, i) -> ps.setString(i, value));
        }
    }

    private final WorkTable t;

    public WorkQueue(WorkTable table) {
        this.t = table;
    }

    public WorkTable table() {
        return t;
    }

    /**
     * The query for the oldest {@code limit} waiting items that are due (one parameter, now), selecting
     * {@code columns}. It orders by the table's index ({@link WorkTable#indexOrder}), so it reads that index in
     * order and stops after {@code limit} rows however many are waiting.
     */
    public String waitingDueSql(String columns, int limit) {
        return "SELECT " + columns + " FROM " + t.table() + " WHERE " + t.waitingSql("") + " AND " + t.dueSql("")
                + " ORDER BY " + t.indexOrder() + " FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** The oldest {@code limit} waiting items that are due now, with their attempts so far (not claimed). */
    public List<Waiting> waitingDue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(waitingDueSql("id, " + t.attempts(), limit))) {
            Sql.setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                List<Waiting> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Waiting(rs.getLong(1), rs.getInt(2)));
                }
                return out;
            }
        }
    }

    /**
     * Ids of items that may be claimed now, oldest first: due waiting ones and claimed ones whose lease ran out.
     * {@code andWhere} narrows them further (a table's own rule, on the outer row aliased {@code w}), or is "".
     */
    public List<Long> claimable(Connection c, Instant now, int limit, String andWhere) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT w.id FROM " + t.table() + " w WHERE (("
                + t.waitingSql("w.") + " AND " + t.dueSql("w.") + ") OR (" + t.lapsedSql("w.") + "))" + andWhere
                + " ORDER BY w.id FETCH FIRST " + limit + " ROWS ONLY")) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, now);
            return ids(ps);
        }
    }

    /**
     * Claims one item for {@code owner} until {@code now + lease}, if it is still claimable (due and waiting, or its
     * lease ran out): a compare-and-set, so of engines claiming at once exactly one gets it. {@code owner} is not
     * stored where the table keeps none.
     */
    public boolean claim(Connection c, long id, String owner, Instant now, Duration lease, Assignment... also)
            throws SQLException {
        Update u = new Update().set(t.status() + " = '" + t.claimed() + "'", null);
        if (t.owner() != null) {
            u.set(t.owner() + " = ?", (ps, i) -> ps.setString(i, owner));
        }
        u.set(t.lease() + " = ?", instant(now.plus(lease))).also(also).stamp(now);
        return u.run(c, "id = ? AND ((" + t.waitingSql("") + " AND " + t.dueSql("") + ") OR (" + t.lapsedSql("")
                + "))", (ps, i) -> ps.setLong(i, id), instant(now), instant(now)) == 1;
    }

    /**
     * Claims up to {@code limit} due items for {@code owner}: the oldest due ones ({@link #waitingDueSql}), then
     * ones whose lease ran out, each taken with a compare-and-set on its status so that with several engines on one
     * database every item goes to exactly one of them. Commits the claims itself.
     */
    public List<Long> claimBatch(DataSource ds, String owner, Instant now, Duration lease, int limit)
            throws SQLException {
        List<Long> candidates = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(waitingDueSql("id", limit))) {
            Sql.setInstant(ps, 1, now);
            candidates.addAll(ids(ps));
            try (PreparedStatement stale = c.prepareStatement("SELECT id FROM " + t.table() + " WHERE "
                    + t.lapsedSql("") + " ORDER BY " + t.lease() + " FETCH FIRST " + limit + " ROWS ONLY")) {
                Sql.setInstant(stale, 1, now);
                candidates.addAll(ids(stale));
            }
            List<Long> claimed = new ArrayList<>();
            // One commit for the whole batch (not one per row: with H2's WRITE_DELAY=0 each commit is a file write),
            // each row's compare-and-set in a savepoint of its own, so a row another engine holds is skipped alone.
            c.setAutoCommit(false);
            try (PreparedStatement upd = c.prepareStatement("UPDATE " + t.table() + " SET " + t.status() + " = '"
                    + t.claimed() + "', " + t.owner() + " = ?, " + t.lease() + " = ?, " + t.updated() + " = ? "
                    + "WHERE id = ? AND (" + t.waitingSql("") + " OR (" + t.lapsedSql("") + "))")) {
                for (long id : candidates) {
                    upd.setString(1, owner);
                    Sql.setInstant(upd, 2, now.plus(lease));
                    Sql.setInstant(upd, 3, now);
                    upd.setLong(4, id);
                    Sql.setInstant(upd, 5, now);
                    Savepoint row = c.setSavepoint();
                    try {
                        if (upd.executeUpdate() == 1) {
                            claimed.add(id);
                        }
                    } catch (SQLException e) {
                        // Another engine holds the row (lock timeout / serialization failure): it is theirs.
                        c.rollback(row);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return claimed;
        }
    }

    /**
     * Ends the item: in {@code status} (done, or a dead letter / rejection with {@code error} saying why), its
     * claim let go. On a {@link WorkTable#withDoneStamp} table it is stamped done instead and {@code status} must
     * be null. {@code attempts} null leaves the count as it is.
     */
    public void finish(Connection c, long id, String status, Integer attempts, String error, Instant now,
                       Assignment... also) throws SQLException {
        Update u = new Update();
        if (t.hasStatus()) {
            u.set(t.status() + " = ?", (ps, i) -> ps.setString(i, status));
        } else {
            if (status != null) {
                throw new IllegalArgumentException(t.table() + " has no status column");
            }
            u.set(t.doneStamp() + " = ?", instant(now)).set(t.due() + " = NULL", null);
        }
        u.attempts(attempts).lastError(error).letGo().also(also).stamp(now)
                .run(c, "id = ?", (ps, i) -> ps.setLong(i, id));
    }

    /**
     * Not done this time: waiting again until {@code retryAt} (from the queue's {@link RetryPolicy}), with the
     * attempts made so far and the error. An item already finished stays finished on a done-stamp table.
     */
    public void retry(Connection c, long id, int attempts, Instant retryAt, String error, Instant now,
                      Assignment... also) throws SQLException {
        Update u = new Update();
        if (t.hasStatus()) {
            u.set(t.status() + " = '" + t.waiting() + "'", null);
        }
        u.attempts(attempts).set(t.due() + " = ?", instant(retryAt)).lastError(error).letGo().also(also).stamp(now)
                .run(c, "id = ?" + (t.hasStatus() ? "" : " AND " + t.waitingSql("")), (ps, i) -> ps.setLong(i, id));
    }

    /**
     * Gives an item in one of {@code from} back to the queue with its attempts as they were: due again at
     * {@code dueAt} (null: when it was), with {@code error} as its last error (null: unchanged).
     */
    public void release(Connection c, long id, Instant dueAt, String error, Instant now, List<String> from)
            throws SQLException {
        Update u = new Update().set(t.status() + " = '" + t.waiting() + "'", null);
        if (dueAt != null) {
            u.set(t.due() + " = ?", instant(dueAt));
        }
        if (error != null) {
            u.lastError(error);
        }
        String statuses = from.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        u.letGo().stamp(now)
                .run(c, "id = ? AND " + t.status() + " IN (" + statuses + ")", (ps, i) -> ps.setLong(i, id));
    }

    /**
     * A person's retry of a dead letter: waiting again, due at {@code now}, attempts counted from 0, its claim let
     * go — only while the item is still in one of the dead statuses {@code from} (on a
     * {@link WorkTable#withDoneStamp} table: stamped done with an error, and {@code from} must be empty). Its last
     * error stays until the next attempt sets its own. True if the item was put back.
     */
    public boolean requeue(Connection c, long id, Instant now, List<String> from, Assignment... also)
            throws SQLException {
        Update u = new Update();
        if (t.hasStatus()) {
            u.set(t.status() + " = '" + t.waiting() + "'", null);
        } else {
            u.set(t.doneStamp() + " = NULL", null);
        }
        return u.attempts(0).set(t.due() + " = ?", instant(now)).letGo().also(also).stamp(now)
                .run(c, "id = ? AND " + finished(from), (ps, i) -> ps.setLong(i, id)) == 1;
    }

    /**
     * A person's discard of a dead letter: into the final {@code status}, keeping the row, its attempts and its
     * last error — only while it is still in one of {@code from}. On a {@link WorkTable#withDoneStamp} table
     * {@code status} must be null and {@code from} empty, and {@code also} marks it (a discarded-at column). True
     * if the item was discarded.
     */
    public boolean discard(Connection c, long id, String status, Instant now, List<String> from,
                           Assignment... also) throws SQLException {
        Update u = new Update();
        if (t.hasStatus()) {
            u.set(t.status() + " = ?", (ps, i) -> ps.setString(i, status));
        } else if (status != null) {
            throw new IllegalArgumentException(t.table() + " has no status column");
        }
        return u.letGo().also(also).stamp(now).run(c, "id = ? AND " + finished(from),
                (ps, i) -> ps.setLong(i, id)) == 1;
    }

    /** The condition of an item finished in one of {@code from}, or stamped done with an error. */
    private String finished(List<String> from) {
        if (!t.hasStatus()) {
            if (!from.isEmpty()) {
                throw new IllegalArgumentException(t.table() + " has no status column");
            }
            return t.doneStamp() + " IS NOT NULL AND " + t.lastError() + " IS NOT NULL";
        }
        if (from.isEmpty()) {
            throw new IllegalArgumentException("no status to take the item from");
        }
        return t.status() + " IN (" + from.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ")) + ")";
    }

    private static Bind instant(Instant value) {
        return (ps, i) -> Sql.setInstant(ps, i, value);
    }

    private static List<Long> ids(PreparedStatement ps) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** One UPDATE of the table, its assignments and their parameters gathered in order. */
    private final class Update {
        private final List<String> sets = new ArrayList<>();
        private final List<Bind> binds = new ArrayList<>();

        Update set(String sql, Bind value) {
            sets.add(sql);
            if (value != null) {
                binds.add(value);
            }
            return this;
        }

        Update attempts(Integer attempts) {
            return attempts == null ? this : set(t.attempts() + " = ?", (ps, i) -> ps.setInt(i, attempts));
        }

        Update lastError(String error) {
            return set(t.lastError() + " = ?", (ps, i) -> ps.setString(i, Sql.cap(error, t.lastErrorMax())));
        }

        /** No engine holds the item any more. */
        Update letGo() {
            if (t.owner() != null) {
                set(t.owner() + " = NULL", null);
            }
            return t.lease() == null ? this : set(t.lease() + " = NULL", null);
        }

        Update also(Assignment... also) {
            for (Assignment a : also) {
                set(a.sql(), a.value());
            }
            return this;
        }

        Update stamp(Instant now) {
            return t.updated() == null ? this : set(t.updated() + " = ?", instant(now));
        }

        int run(Connection c, String where, Bind... whereBinds) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.table() + " SET " + String.join(", ", sets)
                    + " WHERE " + where)) {
                int i = 1;
                for (Bind b : binds) {
                    b.to(ps, i++);
                }
                for (Bind b : whereBinds) {
                    b.to(ps, i++);
                }
                return ps.executeUpdate();
            }
        }
    }
}
