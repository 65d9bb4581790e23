package org.careline.console;

import org.careline.support.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's files over HTTP from a real engine: types, caching, security headers, 404s and no way out. */
class ConsoleFilesHttpTest {

    private static EngineFixture fx;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /console/            | index.html  | text/html; charset=utf-8       | no-store
            /console/index.html  | index.html  | text/html; charset=utf-8       | no-store
            /console/app.js      | app.js      | text/javascript; charset=utf-8 | no-cache
            /console/app.css     | app.css     | text/css; charset=utf-8        | no-cache
            /console/favicon.svg | favicon.svg | image/svg+xml                  | no-cache
            """)
    void servesTheFilesAsTheyAreInTheSourceTree(String path, String file, String type, String cache)
            throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(type);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue(cache);
        assertSecurityHeaders(r);
        assertThat(r.body()).isEqualTo(Files.readAllBytes(Path.of("src/main/resources/console", file)));
    }

    @Test
    void consoleWithoutItsSlashIsRedirected() throws Exception {
        HttpResponse<byte[]> r = get("/console");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/");
        assertSecurityHeaders(r);
    }

    @Test
    void anUnknownFileIs404WithoutAStackTrace() throws Exception {
        HttpResponse<byte[]> r = get("/console/nothing-here.js");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("not found");
        assertSecurityHeaders(r);
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.httpPort() + "/console/app.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("careline");
    }

    /**
     * Paths that try to leave console/ for the routes, the mappings or the project's files: written to the socket
     * exactly as given (an HTTP client would tidy some of them up first); none may answer with anything but a 404.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "/console/../routes/console.yaml",
            "/console/../../pom.xml",
            "/console/%2e%2e/routes/console.yaml",
            "/console/%2E%2E/%2E%2E/pom.xml",
            "/console/..%2froutes%2fconsole.yaml",
            "/console/..%2Froutes%2Fconsole.yaml",
            "/console/%2e%2e%2f%2e%2e%2fpom.xml",
            "/console/%252e%252e%252froutes%252fconsole.yaml",
            "/console/..%5croutes%5cconsole.yaml",
            "/console/..\\routes\\console.yaml",
            "/console/%c0%ae%c0%ae/routes/console.yaml",
            "/console//etc/passwd",
            "/console/app.js/../../routes/console.yaml",
            "/console/./../mappings/sites.yaml",
            "/console/..;/routes/console.yaml",
            "/console/%00app.js",
            "/console/org/careline/Engine.class",
            "/console/../org/careline/Engine.class",
            "/console/..%2forg%2fcareline%2fEngine.class",
    })
    void noPathReachesOutsideTheConsole(String path) throws Exception {
        String answer = rawGet(path);
        String statusLine = answer.substring(0, answer.indexOf('\r'));
        assertThat(statusLine).as(path).matches("HTTP/1\\.1 (400|404) .*");
        String lower = answer.toLowerCase(Locale.ROOT);
        assertThat(lower).as(path).doesNotContain("route:").doesNotContain("<project").doesNotContain("sites:")
                .doesNotContain("root:").doesNotContain("cafebabe").doesNotContain("exception");
    }

    private static String rawGet(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", fx.httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
}
