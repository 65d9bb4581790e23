package org.careline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A caller of /api/v1 over real HTTP, as a browser (session cookie + X-CSRF-Token) or a machine (Bearer token).
 * Keeps the cookie the engine set, and the CSRF token from the sign-in answer.
 */
public final class StaffClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An answer: its status, body and the Set-Cookie header (null if none). */
    public record Answer(int status, String body, String setCookie) {
        public JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "null" : body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final int port;
    private String cookie;
    private String csrf;
    private String bearer;

    public StaffClient(int port) {
        this.port = port;
    }

    /** A client that signs every request with an API token. */
    public static StaffClient withToken(int port, String token) {
        StaffClient c = new StaffClient(port);
        c.bearer = token;
        return c;
    }

    /** Signs in; keeps the cookie and CSRF token of a success. */
    public Answer signIn(String username, String password) {
        Answer a = send("POST", "/api/v1/session", JSON.createObjectNode().put("username", username)
                .put("password", password).toString(), false);
        if (a.status() == 200) {
            cookie = a.setCookie().split(";", 2)[0];
            csrf = a.json().get("csrfToken").asText();
        }
        return a;
    }

    /** Signs in and fails the test unless it worked. */
    public StaffClient signedIn(String username, String password) {
        Answer a = signIn(username, password);
        if (a.status() != 200) {
            throw new AssertionError("sign-in of " + username + " answered " + a.status() + " " + a.body());
        }
        return this;
    }

    public Answer get(String path) {
        return send("GET", path, null, true);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json, true);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, true);
    }

    /** A change without the X-CSRF-Token header, as a forged cross-site request would be. */
    public Answer postWithoutCsrf(String path, String json) {
        return send("POST", path, json, false);
    }

    public Answer send(String method, String path, String json, boolean withCsrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (withCsrf && csrf != null && !"GET".equals(method)) {
            b.header("X-CSRF-Token", csrf);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Set-Cookie").orElse(null));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A GET answered with bytes (a report's PDF or CSV): status, headers and the body as sent. */
    public record Download(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Download download(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<byte[]> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Download(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String csrf() {
        return csrf;
    }
}
