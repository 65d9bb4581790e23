package org.careline.metrics;

import org.careline.store.Database;
import org.careline.store.QueueDepths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The figures metrics read from the database (queue depths, oldest due items, FHIR lag), read on a scrape and
 * reused for CARELINE_METRICS_CACHE_MS: every gauge of one scrape reads the same snapshot, and scrapes from several
 * Prometheus servers (or a dashboard refreshing) cost one round of queries per period, not one per gauge or scrape.
 */
final class StoreFigures {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFigures.class);

    /** What one round of queries found; {@link #NONE} when the database could not be read. */
    record Snapshot(Map<String, QueueDepths.Depth> depths, QueueDepths.FhirLag fhir) {
        static final Snapshot NONE = new Snapshot(Map.of(), new QueueDepths.FhirLag(null, Map.of()));
    }

    private final Database db;
    private final QueueDepths queries = new QueueDepths();
    private final Clock clock;
    private final Duration reuse;
    private Snapshot current;
    private Instant readAt;
    private boolean failing;

    StoreFigures(Database db, Clock clock, Duration reuse) {
        this.db = db;
        this.clock = clock;
        this.reuse = reuse;
    }

    synchronized Snapshot current() {
        Instant now = clock.instant();
        if (current == null || reuse.isZero() || !now.isBefore(readAt.plus(reuse))) {
            current = read(now);
            readAt = now;
        }
        return current;
    }

    private Snapshot read(Instant now) {
        try {
            Snapshot s = db.inTransaction(c -> new Snapshot(queries.depths(c, now), queries.fhirLag(c, now)));
            if (failing) {
                LOG.info("metrics read the database again");
                failing = false;
            }
            return s;
        } catch (RuntimeException e) {
            // Gauges without a value (NaN) rather than stale ones: a gap on a dashboard is honest. One WARN per
            // outage, the class only (a driver's message may quote row values).
            if (!failing) {
                LOG.warn("metrics could not read the database ({}); queue gauges are empty until it can",
                        e.getClass().getSimpleName());
                failing = true;
            }
            return Snapshot.NONE;
        }
    }
}
