package org.careline.access;

import org.careline.model.AccessSettings;
import org.careline.model.AuditEntry;
import org.careline.model.StaffUser;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.StaffSessions;
import org.careline.store.StaffUsers;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Signing in with a name and password, and out again. Each attempt is in the audit trail with how it ended; the
 * answer to the caller does not say why a sign-in failed.
 */
public final class SignIn {

    /** How an attempt ended. */
    public sealed interface Outcome {
    }

    /** Signed in: the cookie's value (shown to the browser only) and the token it must echo on every change. */
    public record SignedIn(String sessionValue, String csrfToken, StaffUser user) implements Outcome {
    }

    /** Not signed in; {@code why} is for the audit trail only. */
    public record Refused(String why) implements Outcome {
    }

    private final Database db;
    private final StaffUsers users;
    private final StaffSessions sessions;
    private final AuditLog audit;
    private final PasswordHasher hasher;
    private final LockoutPolicy lockout;
    private final AccessSettings settings;
    private final Clock clock;

    public SignIn(Database db, StaffUsers users, StaffSessions sessions, AuditLog audit, PasswordHasher hasher,
                  AccessSettings settings, Clock clock) {
        this.db = db;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.hasher = hasher;
        this.lockout = new LockoutPolicy(settings.maxFailures(), settings.lockout());
        this.settings = settings;
        this.clock = clock;
    }

    public Outcome signIn(String username, String password, String remote) {
        Instant now = clock.instant();
        char[] pw = password == null ? new char[0] : password.toCharArray();
        Optional<StaffUser> found = username == null || username.isBlank() ? Optional.empty()
                : db.inTransaction(c -> users.byName(c, username.trim()));
        if (found.isEmpty()) {
            hasher.verifyNobody(pw);
            return refused(username, null, "unknown_user", remote, now);
        }
        StaffUser u = found.get();
        // The hash is checked even for a locked or disabled user, so timing tells nothing of either.
        boolean good = hasher.verify(u.passwordHash(), pw);
        if (u.disabled()) {
            return refused(u.username(), u, "disabled", remote, now);
        }
        if (lockout.locked(u.lockedUntil(), now)) {
            return refused(u.username(), u, "locked", remote, now);
        }
        if (!good) {
            LockoutPolicy.AfterFailure after = lockout.failed(u.failedAttempts(), now);
            db.inTransaction(c -> {
                users.recordFailure(c, u.id(), after.failures(), after.lockedUntil(), now);
                return null;
            });
            return refused(u.username(), u, after.lockedUntil() != null ? "wrong_password_locked" : "wrong_password",
                    remote, now);
        }
        String value = SecretTokens.fresh();
        String csrf = SecretTokens.fresh();
        db.inTransaction(c -> {
            users.recordSuccess(c, u.id(), now);
            sessions.add(c, SecretTokens.hash(value), u.id(), csrf, now, settings.sessionExpiry(now, now));
            audit.record(c, new AuditEntry(u.username(), "sign_in", null, "user:" + u.id(), null, "ok", null,
                    remote), now);
            return null;
        });
        return new SignedIn(value, csrf, u);
    }

    /** Ends the session whose cookie hashes to {@code sessionHash}. */
    public void signOut(String sessionHash, String actor) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            sessions.remove(c, sessionHash);
            audit.record(c, new AuditEntry(actor, "sign_out", null, null, null, "ok", null, null), now);
            return null;
        });
    }

    private Outcome refused(String name, StaffUser u, String why, String remote, Instant now) {
        db.inTransaction(c -> {
            audit.record(c, new AuditEntry(name == null || name.isBlank() ? "-" : name, "sign_in", null,
                    u == null ? null : "user:" + u.id(), null, "refused", why, remote), now);
            return null;
        });
        return new Refused(why);
    }
}
