package org.careline.api;

import org.careline.access.Caller;
import org.careline.access.SignIn;
import org.careline.access.UserAdmin;
import org.careline.model.AccessSettings;
import org.careline.model.Role;
import org.careline.model.StaffUser;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Signing in and out (/session), users and API tokens (admins only). */
final class AccessResource {

    /** Who is signed in, and the token their browser must echo on every change. */
    record SessionView(String username, List<String> roles, Set<String> sites, String csrfToken) {
        static SessionView of(StaffUser u, String csrf) {
            return new SessionView(u.username(), u.roles().stream().map(Role::dbValue).toList(), u.sites(), csrf);
        }
    }

    record UserView(long id, String username, List<String> roles, Set<String> sites, boolean locked,
                    boolean disabled) {
    }

    private final SignIn signIn;
    private final UserAdmin admin;
    private final AccessSettings settings;
    private final java.time.Clock clock;

    AccessResource(SignIn signIn, UserAdmin admin, AccessSettings settings, java.time.Clock clock) {
        this.signIn = signIn;
        this.admin = admin;
        this.settings = settings;
        this.clock = clock;
    }

    List<Endpoint> endpoints() {
        Set<Role> admins = Set.of(Role.ADMIN);
        return List.of(
                new Endpoint("POST", "/session", Endpoint.OPEN,
                        "sign in with {username, password}; sets the session cookie, returns the CSRF token", this::signIn),
                new Endpoint("GET", "/session", Endpoint.ANY_ROLE, "who is signed in, and the CSRF token",
                        this::current),
                new Endpoint("DELETE", "/session", Endpoint.ANY_ROLE, "sign out", this::signOut),
                new Endpoint("GET", "/users", admins, "the users, their roles and sites", this::users),
                new Endpoint("POST", "/users", admins, "add a user {username, password, roles, sites}", this::addUser),
                new Endpoint("POST", "/tokens", admins,
                        "make an API token {username, name} for a user; shown once", this::addToken));
    }

    private ApiAnswer signIn(ApiCall call) {
        Bodies.SignInBody body = Bodies.read(call, Bodies.SignInBody.class, "with username and password");
        SignIn.Outcome outcome = signIn.signIn(body.username(), body.password(), call.remoteAddress());
        if (outcome instanceof SignIn.SignedIn in) {
            String cookie = cookie(in.sessionValue(), settings.sessionMax().toSeconds());
            return new ApiAnswer(200, SessionView.of(in.user(), in.csrfToken()), Map.of("Set-Cookie", cookie));
        }
        return ApiAnswer.error(401, "sign-in failed: wrong name or password, or locked for a while after too many "
                + "tries");
    }

    private ApiAnswer current(ApiCall call) {
        Caller c = call.caller();
        return ApiAnswer.ok(SessionView.of(c.user(), c.csrfToken()));
    }

    private ApiAnswer signOut(ApiCall call) {
        if (call.caller().viaSession()) {
            signIn.signOut(call.caller().sessionHash(), call.caller().name());
        }
        return new ApiAnswer(204, null, Map.of("Set-Cookie", cookie("", 0)));
    }

    /**
     * The session cookie; an empty value with Max-Age 0 makes the browser forget it. Secure: sent over HTTPS only
     * (browsers treat http://localhost as secure too); HttpOnly: no script reads it; SameSite=Strict: no other
     * site's page can make the browser send it.
     */
    private static String cookie(String value, long maxAgeSeconds) {
        return StaffApi.COOKIE + "=" + value + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" + maxAgeSeconds;
    }

    private ApiAnswer users(ApiCall call) {
        java.time.Instant now = clock.instant();
        return ApiAnswer.ok(admin.all().stream().map(u -> new UserView(u.id(), u.username(),
                u.roles().stream().map(Role::dbValue).toList(), u.sites(),
                u.lockedUntil() != null && now.isBefore(u.lockedUntil()), u.disabled())).toList());
    }

    private ApiAnswer addUser(ApiCall call) {
        Bodies.NewUser body = Bodies.read(call, Bodies.NewUser.class, "with username, password, roles and sites");
        Set<Role> roles = new LinkedHashSet<>();
        for (String r : body.roles() == null ? List.<String>of() : body.roles()) {
            Role role = Role.fromName(r);
            if (role == null) {
                return ApiAnswer.error(400, "roles: unknown role; known: admin, staff, analyst, auditor");
            }
            roles.add(role);
        }
        Set<String> sites = body.sites() == null ? null : new LinkedHashSet<>(body.sites());
        UserAdmin.AddOutcome outcome = admin.add(body.username(), body.password(), roles, sites, call.caller().name());
        if (outcome instanceof UserAdmin.Added a) {
            return ApiAnswer.created(Map.of("id", a.id(), "username", body.username()));
        }
        if (outcome instanceof UserAdmin.Invalid i) {
            return ApiAnswer.error(400, i.problem());
        }
        return ApiAnswer.error(409, "a user of that name exists");
    }

    private ApiAnswer addToken(ApiCall call) {
        Bodies.NewToken body = Bodies.read(call, Bodies.NewToken.class, "with username and name");
        UserAdmin.TokenOutcome outcome = admin.token(body.username(), body.name(), call.caller().name());
        if (outcome instanceof UserAdmin.TokenMade t) {
            return ApiAnswer.created(Map.of("token", t.token()));
        }
        return ApiAnswer.error(404, "no user of that name");
    }
}
