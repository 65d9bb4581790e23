package org.careline;

import org.careline.access.PasswordHasher;
import org.careline.access.UserAdmin;
import org.careline.model.Role;
import org.careline.model.StaffUser;
import org.careline.store.ApiTokens;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.StaffUsers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code careline users add NAME --role ROLE} (the password read from standard input, never from the command line,
 * where other users of the machine could see it) and {@code careline users list}: console users, managed directly in
 * the database — while the engine is stopped when that is the embedded H2 file, which only one process may open.
 */
@Command(name = "users", description = "Add or list console users in the database (stop the engine first when it "
        + "uses the embedded H2 database).", synopsisSubcommandLabel = "COMMAND")
final class UsersCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    /** {@code users} with its two commands, over {@code env}. */
    static picocli.CommandLine commandLine(Map<String, String> env) {
        return new picocli.CommandLine(new UsersCommand())
                .addSubcommand(new Add(env))
                .addSubcommand(new ListUsers(env));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "add", description = "Add a user; the password (at least " + UserAdmin.MIN_PASSWORD
            + " characters) is read from standard input.")
    static final class Add extends DatabaseCommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "user name (letters, digits, . _ @ -)")
        private String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, staff, analyst, auditor or portal (a results portal's token only); repeat for several")
        private List<String> roles;

        @Option(names = "--site", paramLabel = "SITE",
                description = "a site code the user may see; repeat for several; leave out for every site")
        private List<String> sites;

        private final Set<Role> parsed = new LinkedHashSet<>();
        private String password;

        Add(Map<String, String> env) {
            super(env);
        }

        @Override
        Integer before(PrintWriter err) throws Exception {
            for (String r : roles) {
                Role role = Role.fromName(r);
                if (role == null) {
                    err.println("--role " + r + ": not a role; known: admin, staff, analyst, auditor, portal");
                    return 2;
                }
                parsed.add(role);
            }
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return null;
        }

        @Override
        int cannotOpen() {
            return 1;
        }

        @Override
        int run(Database db, PrintWriter out, PrintWriter err) {
            UserAdmin admin = new UserAdmin(db, new StaffUsers(), new ApiTokens(), new AuditLog(),
                    new PasswordHasher(), Clock.systemUTC());
            UserAdmin.AddOutcome outcome = admin.add(name, password, parsed,
                    sites == null ? null : new LinkedHashSet<>(sites), "cli");
            if (outcome instanceof UserAdmin.Added a) {
                out.println("added user " + name + " (id " + a.id() + ")");
                return 0;
            }
            err.println(outcome instanceof UserAdmin.Invalid i ? i.problem() : "a user named " + name + " exists");
            return 2;
        }
    }

    @Command(name = "list", description = "List users: name, roles, sites.")
    static final class ListUsers extends DatabaseCommand {

        ListUsers(Map<String, String> env) {
            super(env);
        }

        @Override
        int cannotOpen() {
            return 1;
        }

        @Override
        int run(Database db, PrintWriter out, PrintWriter err) {
            for (StaffUser u : db.inTransaction(new StaffUsers()::all)) {
                out.println(u.username() + "  " + u.roles() + "  "
                        + (u.sites() == null ? "all sites" : String.join(",", u.sites())));
            }
            return 0;
        }
    }
}
