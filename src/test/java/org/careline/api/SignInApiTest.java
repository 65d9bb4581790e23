package org.careline.api;

import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in, sessions, CSRF, lockout, users and tokens, over HTTP against a running engine. */
class SignInApiTest {

    static final String ADMIN_PASSWORD = "first-admin-password-1";
    static EngineFixture engine;

    @BeforeAll
    static void start() throws Exception {
        engine = EngineFixture.start(Map.of("CARELINE_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "CARELINE_LOGIN_MAX_FAILURES", "3", "CARELINE_LOGIN_LOCKOUT_MS", "60000"), Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
    }

    private StaffClient admin() {
        return new StaffClient(engine.httpPort()).signedIn("admin", ADMIN_PASSWORD);
    }

    private void addUser(String name, String password, String role, String sites) {
        StaffClient.Answer a = admin().post("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\""
                + password + "\",\"roles\":[\"" + role + "\"],\"sites\":" + sites + "}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
    }

    @Test
    void theFirstAdminSignsInWithASecureHttpOnlyStrictCookieAndACsrfToken() {
        StaffClient.Answer a = new StaffClient(engine.httpPort()).signIn("admin", ADMIN_PASSWORD);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.setCookie()).startsWith("careline_session=").contains("HttpOnly", "Secure", "SameSite=Strict",
                "Path=/");
        assertThat(a.json().get("roles").toString()).isEqualTo("[\"admin\"]");
        assertThat(a.json().get("csrfToken").asText()).hasSizeGreaterThan(30);
        assertThat(a.body()).doesNotContain(ADMIN_PASSWORD);
        // Answers carry patients' data: no browser or proxy may keep them (Camel's default filter dropped this).
        StaffClient.Download session = new StaffClient(engine.httpPort()).signedIn("admin", ADMIN_PASSWORD)
                .download("/api/v1/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void passwordsAreStoredAsArgon2idHashes() throws Exception {
        Object hash = engine.query("SELECT password_hash FROM staff_user WHERE username = 'admin'").get(0)
                .values().iterator().next();
        assertThat(hash.toString()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(ADMIN_PASSWORD);
    }

    @Test
    void aWrongPasswordOrUnknownNameIs401AndRecorded() throws Exception {
        assertThat(new StaffClient(engine.httpPort()).signIn("admin", "not the password").status()).isEqualTo(401);
        assertThat(new StaffClient(engine.httpPort()).signIn("nobody-here", "whatever-it-is").status()).isEqualTo(401);
        assertThat(engine.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sign_in' AND outcome = 'refused' "
                + "AND detail = 'unknown_user' AND actor = 'nobody-here' AND remote_address = '127.0.0.1'"))
                .isEqualTo(1);
        // a later good sign-in forgets the failure
        admin();
    }

    @Test
    void withoutCredentialsEverythingButSigningInIs401() {
        StaffClient anonymous = new StaffClient(engine.httpPort());
        for (String path : new String[]{"/api/v1/session", "/api/v1/users", "/api/v1/audit", "/api/v1/openapi.json",
                "/api/v1/no-such-thing"}) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(401);
        }
        assertThat(anonymous.post("/api/v1/users", "{}").status()).isEqualTo(401);
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefused() throws Exception {
        StaffClient admin = admin();
        String body = "{\"username\":\"forged\",\"password\":\"long-enough-password\",\"roles\":[\"admin\"]}";
        assertThat(admin.postWithoutCsrf("/api/v1/users", body).status()).isEqualTo(403);
        assertThat(engine.count("SELECT COUNT(*) FROM staff_user WHERE username = 'forged'")).isZero();
    }

    @Test
    void aChangeWithoutABodyIs400AndAFormIs415() throws Exception {
        StaffClient admin = admin();
        assertThat(admin.send("POST", "/api/v1/users", null, true).status()).isEqualTo(400);
        // what a cross-site HTML form can send without asking the browser first
        java.net.http.HttpResponse<String> form = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + engine.httpPort()
                                + "/api/v1/session"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=admin&password=x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
    }

    @Test
    void adminsAddUsersOnceAndCheckWhatTheySend() {
        StaffClient admin = admin();
        addUser("nurse.ana", "nurse-password-12", "staff", "[\"gh-clinic\"]");
        assertThat(admin.post("/api/v1/users", "{\"username\":\"nurse.ana\",\"password\":\"another-password-1\","
                + "\"roles\":[\"staff\"]}").status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/users", "{\"username\":\"x\",\"password\":\"short\",\"roles\":[\"staff\"]}")
                .json().get("error").asText()).contains("12 characters");
        assertThat(admin.post("/api/v1/users", "{\"username\":\"y\",\"password\":\"long-enough-password\","
                + "\"roles\":[\"superuser\"]}").status()).isEqualTo(400);
        StaffClient.Answer list = admin.get("/api/v1/users");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("\"username\":\"nurse.ana\"", "\"sites\":[\"gh-clinic\"]")
                .doesNotContain("password");
    }

    @Test
    void aRoleWithoutTheRightIs403AndTheRefusalIsAudited() throws Exception {
        addUser("front.desk", "front-desk-pass-1", "staff", "null");
        StaffClient staff = new StaffClient(engine.httpPort()).signedIn("front.desk", "front-desk-pass-1");
        assertThat(staff.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(staff.get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(staff.get("/api/v1/session").status()).isEqualTo(200);
        assertThat(engine.count("SELECT COUNT(*) FROM audit_event WHERE actor = 'front.desk' AND outcome = 'denied' "
                + "AND subject = 'GET /users'")).isEqualTo(1);
    }

    @Test
    void repeatedFailuresLockTheUserOutEvenWithTheRightPasswordUntilTheLockoutEnds() throws Exception {
        addUser("locked.out", "the-right-password", "staff", "null");
        StaffClient c = new StaffClient(engine.httpPort());
        for (int i = 0; i < 3; i++) {
            assertThat(c.signIn("locked.out", "wrong-password-" + i).status()).isEqualTo(401);
        }
        assertThat(c.signIn("locked.out", "the-right-password").status()).isEqualTo(401);
        assertThat(engine.count("SELECT COUNT(*) FROM audit_event WHERE actor = 'locked.out' AND detail = 'locked'"))
                .isEqualTo(1);
        engine.clock.advance(Duration.ofSeconds(61));
        try {
            assertThat(c.signIn("locked.out", "the-right-password").status()).isEqualTo(200);
        } finally {
            engine.clock.advance(Duration.ofSeconds(-61));
        }
    }

    @Test
    void signingOutEndsTheSession() {
        StaffClient admin = admin();
        assertThat(admin.get("/api/v1/session").status()).isEqualTo(200);
        StaffClient.Answer out = admin.delete("/api/v1/session");
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.setCookie()).contains("Max-Age=0");
        assertThat(admin.get("/api/v1/session").status()).isEqualTo(401);
    }

    @Test
    void aSessionLeftIdleEnds() {
        StaffClient admin = admin();
        engine.clock.advance(Duration.ofMinutes(31));
        try {
            assertThat(admin.get("/api/v1/session").status()).isEqualTo(401);
        } finally {
            engine.clock.advance(Duration.ofMinutes(-31));
        }
    }

    @Test
    void tokensAreShownOnceAndWorkAsBearerWithTheirUsersRoles() throws Exception {
        addUser("lab.feed", "lab-feed-password", "analyst", "null");
        StaffClient.Answer made = admin().post("/api/v1/tokens", "{\"username\":\"lab.feed\",\"name\":\"monitoring\"}");
        assertThat(made.status()).isEqualTo(201);
        String token = made.json().get("token").asText();
        assertThat(engine.count("SELECT COUNT(*) FROM api_token WHERE token_hash = ?", token)).isZero();
        StaffClient machine = StaffClient.withToken(engine.httpPort(), token);
        assertThat(machine.get("/api/v1/openapi.json").status()).isEqualTo(200);
        assertThat(machine.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(StaffClient.withToken(engine.httpPort(), token + "x").get("/api/v1/openapi.json").status())
                .isEqualTo(401);
        assertThat(admin().post("/api/v1/tokens", "{\"username\":\"ghost\",\"name\":\"x\"}").status()).isEqualTo(404);
    }
}
