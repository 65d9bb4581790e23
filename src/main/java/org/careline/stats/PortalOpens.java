package org.careline.stats;

import org.careline.results.PortalLink;
import org.careline.store.Database;
import org.careline.store.StatsRollups;
import org.careline.store.StoreException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The portal reports that a patient opened a notice's link (POST /api/v1/portal/link-opened): the token is checked
 * as the portal checks it ({@link PortalLink#verify}), and the first open of each notice is counted once.
 */
public final class PortalOpens {

    /** What a report of an open did. */
    public sealed interface Outcome permits Counted, AlreadyCounted, InvalidToken {
    }

    /** The notice's first open: counted. */
    public record Counted(long noticeId) implements Outcome {
    }

    /** Opened before: nothing more is counted. */
    public record AlreadyCounted(long noticeId) implements Outcome {
    }

    /** Malformed, tampered with, expired, or of a notice Careline no longer knows. */
    public record InvalidToken(String why) implements Outcome {
    }

    private final Database db;
    private final StatsRollups rollups;
    private final PortalLink links;

    public PortalOpens(Database db, StatsRollups rollups, PortalLink links) {
        this.db = db;
        this.rollups = rollups;
        this.links = links;
    }

    public Outcome opened(String token, Instant now) {
        Optional<String> reference = links.verify(token, now);
        if (reference.isEmpty()) {
            return new InvalidToken("the token is not a valid, unexpired portal link token");
        }
        StatsRollups.OpenRecord r;
        try {
            r = db.inTransaction(c -> rollups.recordOpen(c, reference.get(), now));
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException s && StatsRollups.isSecondOpen(s)) {
                // another call counted the same open a moment ago
                return db.inTransaction(c -> rollups.recordOpen(c, reference.get(), now)) instanceof
                        StatsRollups.AlreadyCounted a ? new AlreadyCounted(a.noticeId()) : new InvalidToken("retry");
            }
            throw e;
        }
        if (r instanceof StatsRollups.Counted c) {
            return new Counted(c.noticeId());
        }
        if (r instanceof StatsRollups.AlreadyCounted a) {
            return new AlreadyCounted(a.noticeId());
        }
        return new InvalidToken("no such notice");
    }
}
