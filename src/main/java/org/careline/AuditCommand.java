package org.careline;

import org.careline.store.AuditTrail;
import org.careline.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code careline audit verify}: seals what is waiting, then checks the audit trail's hash chain (docs/audit.md).
 * Exit 0 with one line (entries checked, last seq) when it is whole; 1 naming the first entry changed or missing;
 * 2 when the database cannot be opened. Opens the database the engine uses (stop the engine first with the
 * embedded H2 file, which only one process may open).
 */
@Command(name = "audit", description = "Check the audit trail (stop the engine first when it uses the embedded H2 "
        + "database).", synopsisSubcommandLabel = "COMMAND")
final class AuditCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    static picocli.CommandLine commandLine(Map<String, String> env) {
        return new picocli.CommandLine(new AuditCommand()).addSubcommand(new Verify(env));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "verify", description = "Seal waiting entries, then recompute every hash of the audit trail "
            + "from its first retained entry; exit 1 naming the first entry changed or missing.")
    static final class Verify extends DatabaseCommand {

        Verify(Map<String, String> env) {
            super(env);
        }

        @Override
        int run(Database db, PrintWriter out, PrintWriter err) {
            AuditTrail trail = new AuditTrail();
            trail.sealAll(db);
            AuditTrail.Verification v = db.inTransaction(trail::verify);
            if (v instanceof AuditTrail.Intact ok) {
                out.println("audit trail intact: " + ok.checked() + " entries checked, last seq "
                        + (ok.lastSeq() == null ? "none" : ok.lastSeq()));
                return 0;
            }
            if (v instanceof AuditTrail.Changed ch) {
                err.println("audit trail broken: entry seq " + ch.seq() + " (id " + ch.id() + ") changed; "
                        + ch.checked() + " entries before it are intact");
            } else if (v instanceof AuditTrail.Missing m) {
                err.println("audit trail broken: entry seq " + m.seq() + " missing"
                        + (m.nextSeq() == null ? "" : " (next present: seq " + m.nextSeq() + ", id " + m.nextId() + ")")
                        + "; " + m.checked() + " entries before it are intact");
            }
            return 1;
        }
    }
}
