package org.careline.keys;

import org.careline.store.Database;
import org.careline.store.crypto.DataKeys;
import org.careline.store.crypto.FieldCipher;
import org.careline.store.crypto.KeyRing;
import org.careline.store.crypto.MasterKey;
import org.careline.store.crypto.SealedColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyReseal timer's round (routes/keys.yaml). First it reloads the data keys, so a key added by
 * {@code careline keys rotate} (from another process) seals new values here within a round. Then it works through
 * {@link SealedColumns#ALL}, a few small batches per round, each in its own short transaction: values in clear (a
 * database that ran without a key) and values sealed with an older key are sealed with the active one, numbers and
 * MRNs in lookup columns become keyed hashes. When a pass finds nothing left, keys that no longer seal anything
 * are dropped, and it rests until the active key changes or {@link #REST} has passed (a later look catches values
 * another engine wrote with a key it had not reloaded yet).
 */
public final class Resealer {

    private static final Logger LOG = LoggerFactory.getLogger(Resealer.class);

    static final int BATCH = 50;
    static final int BATCHES_PER_ROUND = 4;
    static final Duration REST = Duration.ofMinutes(10);

    private final Database db;
    private final FieldCipher cipher;
    private final MasterKey master;
    private final DataKeys dataKeys;
    private final Clock clock;
    private final SealedColumns columns;

    private String passKey;
    private int column;
    private String after;
    private long changedInPass;
    private long unreadableInPass;
    private Instant restUntil;

    Resealer(Database db, FieldCipher cipher, MasterKey master, DataKeys dataKeys, Clock clock) {
        this.db = db;
        this.cipher = cipher;
        this.master = master;
        this.dataKeys = dataKeys;
        this.clock = clock;
        this.columns = cipher == null ? null : new SealedColumns(cipher);
    }

    /** The round of an engine without a master key: nothing to do. */
    static Resealer idle() {
        return new Resealer(null, null, null, null, null);
    }

    /** One round; the timer is stateful, so rounds never overlap on one engine. */
    public synchronized void run() {
        if (cipher == null) {
            return;
        }
        reload();
        String active = cipher.activeKeyId();
        Instant now = clock.instant();
        if (!active.equals(passKey)) {
            startPass(active);
        } else if (restUntil != null) {
            if (now.isBefore(restUntil)) {
                return;
            }
            startPass(active);
        }
        for (int b = 0; b < BATCHES_PER_ROUND && restUntil == null; b++) {
            SealedColumns.Column col = SealedColumns.ALL.get(column);
            SealedColumns.Batch batch = db.inTransaction(c -> columns.reseal(c, col, after, BATCH));
            changedInPass += batch.changed();
            unreadableInPass += batch.unreadable();
            if (!batch.last(BATCH)) {
                after = batch.lastKey();
                continue;
            }
            if (++column < SealedColumns.ALL.size()) {
                after = SealedColumns.firstKey(SealedColumns.ALL.get(column));
                continue;
            }
            finishPass(now);
        }
    }

    private void startPass(String active) {
        passKey = active;
        column = 0;
        after = SealedColumns.firstKey(SealedColumns.ALL.get(0));
        changedInPass = 0;
        unreadableInPass = 0;
        restUntil = null;
    }

    private void finishPass(Instant now) {
        restUntil = now.plus(REST);
        if (changedInPass > 0 || unreadableInPass > 0) {
            LOG.info("re-sealer: pass done under data key {}: {} values sealed again or hashed, {} not opened", passKey,
                    changedInPass, unreadableInPass);
        }
        if (unreadableInPass > 0) {
            return; // a key that seals what could not be opened is not dropped
        }
        List<String> older = new ArrayList<>(cipher.keyIds());
        older.remove(passKey);
        if (older.isEmpty()) {
            return;
        }
        int retired = db.inTransaction(c -> {
            Map<String, Long> counts = SealedColumns.counts(c, older);
            List<String> unused = older.stream().filter(id -> counts.get(id) == 0L).toList();
            return dataKeys.retire(c, unused, passKey);
        });
        if (retired > 0) {
            LOG.info("re-sealer: {} data keys that sealed nothing any more were dropped", retired);
        }
    }

    /** Picks up keys added (rotation) or dropped (by another engine's re-sealer) since the last round. */
    private void reload() {
        List<KeyRing.Wrapped> stored = db.inTransaction(dataKeys::load);
        Set<String> ids = new HashSet<>();
        stored.forEach(w -> ids.add(w.keyId()));
        if (!stored.isEmpty() && !ids.equals(cipher.keyIds())) {
            KeyRing ring = KeyRing.open(master, stored);
            cipher.reload(ring);
            LOG.info("data keys reloaded: active data key {} of {}", ring.activeId(), ids.size());
        }
    }
}
