package org.careline.alerts;

import java.time.Instant;

/** What acknowledging an alert came to. */
public sealed interface AlertAck {

    /** Acknowledged now, by this user. */
    record Acked(long id, String by, Instant at) implements AlertAck {
    }

    /** Someone acknowledged it before (maybe a moment ago, at the same time): nothing changed. */
    record AlreadyAcked(long id, String by, Instant at) implements AlertAck {
    }

    /** No such alert (or none the user may see). */
    record NotFound(long id) implements AlertAck {
    }
}
