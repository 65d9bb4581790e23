package org.careline.keys;

import org.apache.camel.main.Main;
import org.careline.config.Settings;
import org.careline.store.Database;
import org.careline.store.crypto.DataKeys;
import org.careline.store.crypto.FieldCipher;
import org.careline.store.crypto.KeyRing;
import org.careline.store.crypto.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Encryption at rest for one engine (docs/encryption.md): the field cipher the store classes are built with, opened
 * from the master key and the data keys (the first one made on the first start with a key), and the re-sealer the
 * keyReseal timer (routes/keys.yaml) calls.
 */
public final class KeyWiring {

    private static final Logger LOG = LoggerFactory.getLogger(KeyWiring.class);

    /** The bean routes/keys.yaml's timer calls. */
    public static final String RESEALER_BEAN = "keyResealer";

    private KeyWiring() {
    }

    /**
     * Opens the key ring and sets the database's cipher; binds the re-sealer.
     *
     * @throws IllegalStateException in one line when the master key does not open the stored data keys, or the
     *                               database holds sealed values and no master key is set
     */
    public static FieldCipher bind(Main main, Settings s, Database db, Clock clock) {
        try {
            return open(main, s, db, clock);
        } catch (RuntimeException e) {
            db.close(); // the engine does not start: let go of the database (an embedded file stays locked else)
            throw e;
        }
    }

    private static FieldCipher open(Main main, Settings s, Database db, Clock clock) {
        String text = s.masterKey();
        DataKeys dataKeys = new DataKeys();
        if (text == null) {
            List<KeyRing.Wrapped> stored = db.inTransaction(dataKeys::load);
            if (!stored.isEmpty()) {
                throw new IllegalStateException("this database was sealed with a master key (" + stored.size()
                        + " data keys stored), but neither CARELINE_MASTER_KEY nor CARELINE_MASTER_KEY_FILE is set");
            }
            LOG.warn("encryption at rest is off: CARELINE_MASTER_KEY and CARELINE_MASTER_KEY_FILE are not set, so names, "
                    + "phone numbers and message bodies are stored in clear (see docs/encryption.md)");
            main.bind(RESEALER_BEAN, Resealer.idle());
            return db.cipher();
        }
        MasterKey master;
        try {
            master = MasterKey.fromBase64(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("CARELINE_MASTER_KEY " + e.getMessage());
        }
        KeyRing ring;
        try {
            ring = db.inTransaction(c -> dataKeys.ring(c, master, clock.instant()));
        } catch (KeyRing.WrongMasterKeyException e) {
            throw new IllegalStateException(e.getMessage());
        }
        FieldCipher cipher = FieldCipher.with(ring);
        db.useCipher(cipher);
        LOG.info("encryption at rest is on: active data key {} of {}", ring.activeId(), ring.keyIds().size());
        main.bind(RESEALER_BEAN, new Resealer(db, cipher, master, dataKeys, clock));
        return cipher;
    }

    /** Adds a data key that becomes the active one; the first one when the database has none yet. */
    public static KeyRing rotate(Database db, MasterKey master, java.time.Instant now) {
        DataKeys keys = new DataKeys();
        return db.inTransaction(c -> keys.load(c).isEmpty() ? keys.ring(c, master, now)
                : keys.rotate(c, master, now));
    }
}
