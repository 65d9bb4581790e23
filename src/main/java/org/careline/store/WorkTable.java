package org.careline.store;

/**
 * Which columns of a table hold its work items' queue state, for {@link WorkQueue}. Two shapes exist:
 * <ul>
 *   <li>{@link #withStatus}: a status column moves waiting → claimed (under a lease, maybe with an owner) → a final
 *       status; {@code due} is when a waiting item may be claimed (outbox, writeback_request, fhir_work);</li>
 *   <li>{@link #withDoneStamp}: no status and no lease; an item waits while {@code doneStamp} is NULL and is due
 *       when {@code due} is NULL or has passed (webhook_delivery, processed in the reader's transaction).</li>
 * </ul>
 *
 * @param indexOrder the ORDER BY of the waiting-and-due query: the columns of the table's index on it, so that the
 *                   database reads that index in order and stops at the limit instead of sorting every due row
 * @param owner      the column naming the engine that holds a claim, or null where the table keeps none
 * @param updated    the column stamped on every change, or null where the table has none
 */
public record WorkTable(String table, String status, String waiting, String claimed, String due, String attempts,
                        String owner, String lease, String lastError, int lastErrorMax, String doneStamp,
                        String updated, String indexOrder) {

    public static WorkTable withStatus(String table, String status, String waiting, String claimed, String due,
                                       String attempts, String owner, String lease, String lastError,
                                       int lastErrorMax, String indexOrder) {
        return new WorkTable(table, status, waiting, claimed, due, attempts, owner, lease, lastError, lastErrorMax,
                null, "updated_at", indexOrder);
    }

    public static WorkTable withDoneStamp(String table, String doneStamp, String due, String attempts,
                                          String lastError, int lastErrorMax, String indexOrder) {
        return new WorkTable(table, null, null, null, due, attempts, null, null, lastError, lastErrorMax, doneStamp,
                null, indexOrder);
    }

    boolean hasStatus() {
        return status != null;
    }

    /** Items waiting to be worked: {@code status = 'PENDING'}, or not stamped done. */
    String waitingSql(String alias) {
        return hasStatus() ? alias + status + " = '" + waiting + "'" : alias + doneStamp + " IS NULL";
    }

    /** Waiting items whose time has come; one parameter, now. */
    String dueSql(String alias) {
        return hasStatus() ? alias + due + " <= ?" : "(" + alias + due + " IS NULL OR " + alias + due + " <= ?)";
    }

    /** Claimed items whose lease has run out (their engine died); one parameter, now. */
    String lapsedSql(String alias) {
        return alias + status + " = '" + claimed + "' AND " + alias + lease + " < ?";
    }
}
