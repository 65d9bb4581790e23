package org.careline.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: the work of callers arriving together (several MLLP connections, each waiting to ACK) runs in one
 * transaction, each piece inside its own savepoint, and is committed once. Every caller returns only after that
 * commit, so an ACK still follows the durable write of its own effect; a piece that fails is rolled back to its
 * savepoint and its caller gets the exception, the others are unaffected. With H2's WRITE_DELAY=0 a commit is a
 * file write (~0.6 ms here), which one message at a time would otherwise serialise on.
 *
 * <p>No thread of its own: whoever finds no batch running becomes the leader and runs what is queued; the others
 * wait for their result, or lead the next batch.
 */
final class GroupCommit {

    private static final int MAX_BATCH = 64;

    private final DataSource dataSource;
    private final ReentrantLock leader = new ReentrantLock();
    private final Queue<Job<?>> queue = new ConcurrentLinkedQueue<>();

    GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static final class Job<T> {
        final Database.Work<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;

        Job(Database.Work<T> work) {
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            Savepoint savepoint = c.setSavepoint();
            try {
                result = work.run(c);
            } catch (Throwable e) {
                c.rollback(savepoint);
                failure = e;
            }
        }

        /** After the commit: the caller may now see its result (or its own failure). */
        void publish() {
            if (failure == null) {
                done.complete(result);
            } else {
                done.completeExceptionally(failure);
            }
        }
    }

    <T> T run(Database.Work<T> work) {
        Job<T> job = new Job<>(work);
        queue.add(job);
        while (!job.done.isDone()) {
            if (leader.tryLock()) {
                try {
                    runBatch();
                } finally {
                    leader.unlock();
                }
            } else {
                try {
                    job.done.get(1, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // not done yet: lead the next batch if none runs; or done with a failure, reported below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(e);
                }
            }
        }
        try {
            return job.done.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StoreException((Exception) cause);
        }
    }

    private void runBatch() {
        List<Job<?>> batch = new ArrayList<>();
        for (Job<?> j; batch.size() < MAX_BATCH && (j = queue.poll()) != null; ) {
            batch.add(j);
        }
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Job<?> j : batch) {
                    j.run(c);
                }
                c.commit();
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                fail(batch, e);
                return;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool discards a broken connection
                }
            }
            batch.forEach(Job::publish);
        } catch (SQLException e) {
            fail(batch, e);
        }
    }

    /** Nothing of the batch was committed: every caller learns so (and, for an ACK, answers with an error). */
    private static void fail(List<Job<?>> batch, Throwable e) {
        for (Job<?> j : batch) {
            if (!j.done.isDone()) {
                j.done.completeExceptionally(e instanceof SQLException s ? new StoreException(s) : e);
            }
        }
    }
}
