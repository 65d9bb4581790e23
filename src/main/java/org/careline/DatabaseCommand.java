package org.careline;

import org.careline.config.Settings;
import org.careline.store.Database;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that works on the engine's own database (users, audit, keys): it opens the database the environment
 * names, runs, and closes it. With the embedded H2 file that needs the engine stopped, and the one line printed when
 * the database cannot be opened says so.
 */
abstract class DatabaseCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    final Map<String, String> env;

    DatabaseCommand(Map<String, String> env) {
        this.env = env;
    }

    /**
     * What can be checked before the database is opened (arguments, the master key); an exit code stops the command.
     */
    Integer before(PrintWriter err) throws Exception {
        return null;
    }

    abstract int run(Database db, PrintWriter out, PrintWriter err) throws Exception;

    /**
     * Another way to get the same done while the engine holds the database (said after the line when it cannot be
     * opened), or null.
     */
    String whileTheEngineRuns() {
        return null;
    }

    /** The exit code when the database cannot be opened. */
    int cannotOpen() {
        return 2;
    }

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Integer stop = before(err);
        if (stop != null) {
            return stop;
        }
        Database db = open(env, err, whileTheEngineRuns());
        if (db == null) {
            return cannotOpen();
        }
        try (db) {
            return run(db, out, err);
        }
    }

    /** The engine's database, or null after one line saying why it could not be opened. */
    static Database open(Map<String, String> env, PrintWriter err) {
        return open(env, err, null);
    }

    private static Database open(Map<String, String> env, PrintWriter err, String otherWay) {
        Settings settings;
        try {
            settings = Settings.from(env);
        } catch (IllegalArgumentException e) {
            // A wrong setting is said as the engine says it, naming the variable.
            err.println("careline: " + CommandErrors.oneLine(e));
            return null;
        }
        try {
            return Database.open(settings.database());
        } catch (RuntimeException e) {
            // Only the embedded H2 file is held by a running engine; a server database is down or unreachable.
            boolean embedded = settings.dbUrl().startsWith("jdbc:h2:file:");
            err.println("cannot open the database" + (embedded
                    ? " (is the engine running? it holds the embedded H2 file): " : " at CARELINE_DB_URL: ")
                    + CommandErrors.oneLine(e) + (otherWay == null ? "" : "; " + otherWay));
            return null;
        }
    }
}
