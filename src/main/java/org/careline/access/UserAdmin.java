package org.careline.access;

import org.careline.model.AuditEntry;
import org.careline.model.Role;
import org.careline.model.StaffUser;
import org.careline.store.ApiTokens;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.StaffUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Adding users and API tokens (an admin's work, from the API or the command line), and the first admin. */
public final class UserAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(UserAdmin.class);
    /** Short enough for a log line and an audit subject; no spaces or commas (the stored lists use commas). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    public static final int MIN_PASSWORD = 12;

    /** How adding a user ended. */
    public sealed interface AddOutcome {
    }

    public record Added(long id) implements AddOutcome {
    }

    public record NameTaken() implements AddOutcome {
    }

    /** The request was not acceptable: what is wrong, in words for the person who sent it. */
    public record Invalid(String problem) implements AddOutcome {
    }

    /** How making a token ended: the token (shown once) or why not. */
    public sealed interface TokenOutcome {
    }

    public record TokenMade(String token) implements TokenOutcome {
    }

    public record NoSuchUser() implements TokenOutcome {
    }

    private final Database db;
    private final StaffUsers users;
    private final ApiTokens tokens;
    private final AuditLog audit;
    private final PasswordHasher hasher;
    private final Clock clock;

    public UserAdmin(Database db, StaffUsers users, ApiTokens tokens, AuditLog audit, PasswordHasher hasher,
                     Clock clock) {
        this.db = db;
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
        this.hasher = hasher;
        this.clock = clock;
    }

    public AddOutcome add(String username, String password, Set<Role> roles, Set<String> sites, String actor) {
        if (username == null || !NAME.matcher(username).matches()) {
            return new Invalid("username: 1 to 100 of letters, digits and . _ @ -");
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            return new Invalid("password: at least " + MIN_PASSWORD + " characters");
        }
        if (roles == null || roles.isEmpty()) {
            return new Invalid("roles: at least one of admin, staff, analyst, auditor, portal");
        }
        if (sites != null && sites.stream().anyMatch(s -> s == null || s.isBlank() || s.contains(","))) {
            return new Invalid("sites: site codes, or leave out for every site");
        }
        String hash = hasher.hash(password.toCharArray());
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Optional<Long> id = users.add(c, username, hash, roles, sites, now);
            if (id.isEmpty()) {
                return new NameTaken();
            }
            audit.record(c, new AuditEntry(actor, "user_add", null, "user:" + id.get(), null, "ok",
                    "roles=" + roles, null), now);
            return new Added(id.get());
        });
    }

    public TokenOutcome token(String username, String name, String actor) {
        Instant now = clock.instant();
        String token = SecretTokens.fresh();
        return db.inTransaction(c -> {
            Optional<StaffUser> u = username == null ? Optional.empty() : users.byName(c, username);
            if (u.isEmpty()) {
                return new NoSuchUser();
            }
            long id = tokens.add(c, SecretTokens.hash(token), u.get().id(), name, actor, now);
            audit.record(c, new AuditEntry(actor, "token_add", null, "token:" + id, null, "ok",
                    "for user:" + u.get().id(), null), now);
            return new TokenMade(token);
        });
    }

    public List<StaffUser> all() {
        return db.inTransaction(users::all);
    }

    /**
     * The first admin from CARELINE_ADMIN_PASSWORD, made only while there are no users at all: once anyone exists the
     * variable is ignored, so leaving it set cannot bring back a removed admin or reset a password.
     */
    public void firstAdmin(String password) {
        if (password == null) {
            if (db.inTransaction(users::count) == 0) {
                LOG.warn("no console users yet: set CARELINE_ADMIN_PASSWORD (user admin) or run 'java -jar "
                        + "target/careline.jar users add NAME --role admin' while the engine is stopped");
            }
            return;
        }
        if (db.inTransaction(users::count) > 0) {
            return;
        }
        if (password.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("CARELINE_ADMIN_PASSWORD must be at least " + MIN_PASSWORD
                    + " characters");
        }
        AddOutcome added = add("admin", password, Set.of(Role.ADMIN), null, "careline");
        LOG.info("first console user 'admin' created from CARELINE_ADMIN_PASSWORD ({})", added);
    }
}
