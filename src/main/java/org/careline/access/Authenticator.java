package org.careline.access;

import org.careline.model.AccessSettings;
import org.careline.model.StaffUser;
import org.careline.store.ApiTokens;
import org.careline.store.Database;
import org.careline.store.StaffSessions;
import org.careline.store.StaffUsers;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds who a request comes from: a session cookie's value or an API token, each looked up by its hash. A session
 * used is kept alive for another idle period (within its maximum); a disabled user's sessions and tokens stop at
 * once.
 */
public final class Authenticator {

    private final Database db;
    private final StaffUsers users;
    private final StaffSessions sessions;
    private final ApiTokens tokens;
    private final AccessSettings settings;
    private final Clock clock;

    public Authenticator(Database db, StaffUsers users, StaffSessions sessions, ApiTokens tokens,
                         AccessSettings settings, Clock clock) {
        this.db = db;
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
    }

    public Optional<Caller> bySession(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = SecretTokens.hash(cookieValue);
        return db.inTransaction(c -> {
            Optional<StaffSessions.Session> s = sessions.find(c, hash, now);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            Optional<StaffUser> u = users.byId(c, s.get().userId()).filter(x -> !x.disabled());
            if (u.isPresent()) {
                sessions.touch(c, hash, now, settings.sessionExpiry(s.get().createdAt(), now));
            }
            return u.map(user -> new Caller(user, true, s.get().csrfToken(), hash));
        });
    }

    public Optional<Caller> byToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = SecretTokens.hash(token);
        return db.inTransaction(c -> {
            Optional<Long> userId = tokens.userOf(c, hash);
            if (userId.isEmpty()) {
                return Optional.empty();
            }
            tokens.markUsed(c, hash, now);
            return users.byId(c, userId.get()).filter(x -> !x.disabled()).map(user -> new Caller(user, false, null, null));
        });
    }
}
