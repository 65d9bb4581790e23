package org.careline.stats;

import org.careline.store.Database;
import org.careline.store.StatsRollups;
import org.careline.store.StatsRollups.Count;
import org.careline.store.StatsRollups.Fact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps the roll-ups up to date (the statsRollup timer's round; a stats request folds the logs too): folds the rows the
 * append-only logs gained since the last round into their days, by id watermark, in batches each in a transaction
 * of its own that also moves the watermark; then counts the no-show split of recently started appointments again,
 * since a no-show mark, a confirmation or a delivery status may still change it. Ingest and sending never wait on it:
 * it only reads their tables, and writes its own.
 *
 * <p>A row is folded once it is {@code settle} old, and the logs are read in id order up to the first younger row,
 * so a transaction that committed a lower id a little after a higher one is still folded.
 */
public final class RollupFolder {

    private static final Logger LOG = LoggerFactory.getLogger(RollupFolder.class);
    static final int BATCH = 10_000;
    /** No zone is further east than UTC+14: a local day never starts more than 14 hours before its UTC date. */
    static final Duration WIDEST_OFFSET = Duration.ofHours(14);
    private static final List<String> NO_SHOW_FIGURES = List.of(FactFigures.DUE, FactFigures.NO_SHOW);

    private final Database db;
    private final StatsRollups rollups;
    private final Function<String, ZoneId> zoneOfSite;
    private final Clock clock;
    private final Duration settle;
    private final int reopenDays;

    /**
     * @param zoneOfSite the time zone of a site code ('' for rows of no site: the engine's default site's zone)
     * @param reopenDays how many days back the no-show split is counted again each round
     */
    public RollupFolder(Database db, StatsRollups rollups, Function<String, ZoneId> zoneOfSite, Clock clock,
                        Duration settle, int reopenDays) {
        this.db = db;
        this.rollups = rollups;
        this.zoneOfSite = zoneOfSite;
        this.clock = clock;
        this.settle = settle;
        this.reopenDays = reopenDays;
    }

    /** Folding by a request and by the timer, one at a time in this engine (the watermark rows do it across engines). */
    private final java.util.concurrent.locks.ReentrantLock folding = new java.util.concurrent.locks.ReentrantLock();
    /** Counting the no-show split: apart from folding, so a request never waits for a month of appointments. */
    private final java.util.concurrent.locks.ReentrantLock counting = new java.util.concurrent.locks.ReentrantLock();

    /** The timer's round: everything new, and the no-show split. */
    public void run() {
        try {
            fold();
            recomputeNoShows();
        } catch (RuntimeException e) {
            LOG.warn("stats roll-up round failed, next round tries again: {}", e.getClass().getSimpleName());
        }
    }

    /** Folds every settled row the logs gained; returns how many rows were read. */
    public long fold() {
        folding.lock();
        try {
            long rows = 0;
            rows += foldSource(StatsRollups.APPOINTMENT_EVENTS, rollups::appointmentEvents,
                    FactFigures::ofAppointmentEvent);
            rows += foldSource(StatsRollups.MESSAGE_EVENTS, rollups::messageEvents, FactFigures::ofMessageEvent);
            rows += foldSource(StatsRollups.REPLIES, rollups::replies, FactFigures::ofReply);
            rows += foldSource(StatsRollups.PORTAL_OPENS, rollups::portalOpens, FactFigures::ofPortalOpen);
            return rows;
        } finally {
            folding.unlock();
        }
    }

    @FunctionalInterface
    private interface Reader {
        List<Fact> read(Connection c, long afterId, int limit) throws SQLException;
    }

    private long foldSource(String source, Reader reader, Function<Fact, List<FactFigures.Hit>> figures) {
        long total = 0;
        while (true) {
            int[] read = new int[2];
            db.inTransaction(c -> {
                long mark = rollups.lockWatermark(c, source);
                Instant now = clock.instant();
                Instant settledBefore = now.minus(settle);
                List<Fact> facts = reader.read(c, mark, BATCH);
                List<Count> counts = new ArrayList<>();
                long last = mark;
                for (Fact f : facts) {
                    if (f.at().isAfter(settledBefore)) {
                        read[1] = 1; // the rest is too young: next round
                        break;
                    }
                    LocalDate day = LocalDays.dayOf(f.at(), zoneOfSite.apply(f.site()));
                    for (FactFigures.Hit h : figures.apply(f)) {
                        counts.add(new Count(day, f.site(), f.service(), h.figure(), h.detail(), 1));
                    }
                    last = f.id();
                    read[0]++;
                }
                rollups.add(c, counts);
                if (last != mark) {
                    rollups.setWatermark(c, source, last, now);
                }
                if (facts.size() < BATCH) {
                    read[1] = 1;
                }
                return null;
            });
            total += read[0];
            if (read[1] == 1 || read[0] == 0) {
                return total;
            }
        }
    }

    /**
     * Counts the no-show split again for appointments that started in the last {@code reopenDays} days (from the
     * very first appointment on the first round after the schema was made, to build the history).
     */
    public void recomputeNoShows() {
        counting.lock();
        try {
            countNoShows();
        } finally {
            counting.unlock();
        }
    }

    private void countNoShows() {
        db.inTransaction(c -> {
            Instant now = clock.instant();
            boolean firstRound = rollups.lockWatermark(c, StatsRollups.NO_SHOWS) == 0L;
            LocalDate firstDay = firstRound ? LocalDate.of(1970, 1, 2)
                    : LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(reopenDays);
            Instant from = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant().minus(WIDEST_OFFSET);
            Map<Count, Long> counts = new HashMap<>();
            rollups.started(c, from, now, a -> {
                LocalDate day = LocalDays.dayOf(a.start(), zoneOfSite.apply(a.site()));
                if (day.isBefore(firstDay)) {
                    return;
                }
                String group = NoShowGroup.of(a.confirmed(), a.reached()).key();
                counts.merge(new Count(day, a.site(), a.service(), FactFigures.DUE, group, 0), 1L, Long::sum);
                if ("NO_SHOW".equals(a.status())) {
                    counts.merge(new Count(day, a.site(), a.service(), FactFigures.NO_SHOW, group, 0), 1L, Long::sum);
                }
            });
            List<Count> rows = new ArrayList<>();
            counts.forEach((k, v) -> rows.add(new Count(k.day(), k.site(), k.service(), k.figure(), k.detail(), v)));
            rollups.replaceFrom(c, firstDay, NO_SHOW_FIGURES, rows);
            rollups.setWatermark(c, StatsRollups.NO_SHOWS, 1, now);
            return null;
        });
    }
}
