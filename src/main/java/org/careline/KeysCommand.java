package org.careline;

import org.careline.config.Settings;
import org.careline.keys.KeyWiring;
import org.careline.store.Database;
import org.careline.store.crypto.DataKeys;
import org.careline.store.crypto.KeyRing;
import org.careline.store.crypto.MasterKey;
import org.careline.store.crypto.SealedColumns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code careline keys rotate} and {@code careline keys status} (docs/encryption.md). Rotation adds a data key that
 * becomes the active one: running engines on the same database pick it up within a re-sealer round and seal new
 * values with it, and their re-sealers seal the old values again in the background. Status counts, per data key,
 * the values it still seals. Both need the master key the engine uses. With the embedded H2 file, stop the engine
 * first (only one process may open it); the next start uses the new key.
 */
@Command(name = "keys", description = "Rotate the data keys of encryption at rest, or show what each key seals.",
        synopsisSubcommandLabel = "COMMAND")
final class KeysCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    static picocli.CommandLine commandLine(Map<String, String> env) {
        return new picocli.CommandLine(new KeysCommand()).addSubcommand(new Rotate(env)).addSubcommand(new Status(env));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The master key from the environment, or null after printing why there is none (never its value). */
    static MasterKey master(Map<String, String> env, PrintWriter err) {
        try {
            String text = Settings.from(env).masterKey();
            if (text == null) {
                err.println("encryption at rest is off: set CARELINE_MASTER_KEY or CARELINE_MASTER_KEY_FILE");
                return null;
            }
            return MasterKey.fromBase64(text);
        } catch (IllegalArgumentException e) {
            err.println("the master key " + e.getMessage());
            return null;
        }
    }

    @Command(name = "rotate", description = "Add a new active data key; prints its id. Older values are sealed again "
            + "with it in the background by the running engine.")
    static final class Rotate extends DatabaseCommand {

        private MasterKey master;

        Rotate(Map<String, String> env) {
            super(env);
        }

        @Override
        Integer before(PrintWriter err) {
            master = master(env, err);
            return master == null ? 2 : null;
        }

        @Override
        int run(Database db, PrintWriter out, PrintWriter err) {
            try {
                KeyRing ring = KeyWiring.rotate(db, master, Instant.now());
                out.println("new active data key " + ring.activeId() + " (" + ring.keyIds().size() + " keys held)");
                return 0;
            } catch (KeyRing.WrongMasterKeyException e) {
                err.println(e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "status", description = "Print how many stored values each data key seals, and how many are "
            + "still in clear.")
    static final class Status extends DatabaseCommand {

        Status(Map<String, String> env) {
            super(env);
        }

        @Override
        int run(Database db, PrintWriter out, PrintWriter err) {
            List<KeyRing.Wrapped> stored = db.inTransaction(new DataKeys()::load);
            List<String> ids = stored.stream().map(KeyRing.Wrapped::keyId).toList();
            Map<String, Long> counts = db.inTransaction(c -> SealedColumns.counts(c, ids));
            for (String id : ids) {
                out.println(id + (id.equals(ids.get(ids.size() - 1)) ? " (active)" : "") + ": " + counts.get(id)
                        + " values");
            }
            out.println("clear: " + counts.get("clear") + " values");
            out.println("numbers and MRNs not yet hashed: " + counts.get("unhashed"));
            return 0;
        }
    }
}
