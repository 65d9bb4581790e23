package org.careline.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which request path is answered with which console file, a redirect or a 404: a table of cases. */
class ConsoleFilesTest {

    private static final Map<String, String> FILES = Map.of(
            "index.html", "<!doctype html>", "app.js", "'use strict';", "app.css", "body {}",
            "favicon.svg", "<svg/>");
    private final ConsoleFiles files = new ConsoleFiles(name -> FILES.containsKey(name)
            ? FILES.get(name).getBytes(StandardCharsets.UTF_8) : null);

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /console/                        | file     | index.html
            /console/?x=1                    | file     | index.html
            /console/index.html              | file     | index.html
            /console/app.js                  | file     | app.js
            /console/app.js?v=2              | file     | app.js
            /console/app.css                 | file     | app.css
            /console/favicon.svg             | file     | favicon.svg
            /console                         | redirect | /console/
            /console?x=1                     | redirect | /console/
            /console/missing.js              | missing  |
            /console/app.txt                 | missing  |
            /console/.app.js                 | missing  |
            /console/../pom.xml              | missing  |
            /console/..                      | missing  |
            /console/%2e%2e/pom.xml          | missing  |
            /console/..%2fpom.xml            | missing  |
            /console/%2e%2e%2fpom.xml        | missing  |
            /console/%252e%252e%252fpom.xml  | missing  |
            /console/..\\pom.xml             | missing  |
            /console//etc/passwd             | missing  |
            /console/app.js/../index.html    | missing  |
            /console/sub/app.js              | missing  |
            /console/app%2ejs                | missing  |
            /consolex/app.js                 | missing  |
            /consoleapp.js                   | missing  |
            /                                | missing  |
            """)
    void answers(String path, String kind, String target) {
        ConsoleFiles.Answer answer = files.resolve(path);
        switch (kind) {
            case "file" -> assertThat(answer).isInstanceOfSatisfying(ConsoleFiles.File.class,
                    f -> assertThat(f.name()).isEqualTo(target));
            case "redirect" -> assertThat(answer).isInstanceOfSatisfying(ConsoleFiles.Redirect.class,
                    r -> assertThat(r.location()).isEqualTo(target));
            default -> assertThat(answer).isInstanceOf(ConsoleFiles.NotFound.class);
        }
    }

    @ParameterizedTest(name = "{0}: {1}, {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /console/            | text/html; charset=utf-8       | no-store
            /console/app.js      | text/javascript; charset=utf-8 | no-cache
            /console/app.css     | text/css; charset=utf-8        | no-cache
            /console/favicon.svg | image/svg+xml                  | no-cache
            """)
    void typesAndCaching(String path, String contentType, String cacheControl) {
        ConsoleFiles.Reply reply = ConsoleFiles.reply(files.resolve(path));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsEntry("Content-Type", contentType)
                .containsEntry("Cache-Control", cacheControl)
                .containsAllEntriesOf(ConsoleFiles.SECURITY_HEADERS);
    }

    @ParameterizedTest
    @CsvSource({"/console, 301", "/console/nothing.js, 404"})
    void redirectsAndMissesCarryTheSecurityHeadersToo(String path, int status) {
        ConsoleFiles.Reply reply = ConsoleFiles.reply(files.resolve(path));
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.headers()).containsAllEntriesOf(ConsoleFiles.SECURITY_HEADERS)
                .containsEntry("Cache-Control", "no-store");
    }

    @Test
    void chartJsIsServedFromItsWebjarInThePackagedEngine() {
        // The version in ConsoleFiles.VENDORED must be the one pom.xml depends on: a mismatch is a 404 here.
        ConsoleFiles.Answer answer = ConsoleFiles.fromClasspath().resolve("/console/chart.js");
        assertThat(answer).isInstanceOfSatisfying(ConsoleFiles.File.class, f -> {
            assertThat(f.contentType()).isEqualTo("text/javascript; charset=utf-8");
            assertThat(new String(f.body(), StandardCharsets.UTF_8)).contains("Chart.js v4.4.1");
        });
        assertThat(ConsoleFiles.fromClasspath().resolve("/console/chart.umd.js"))
                .isInstanceOf(ConsoleFiles.NotFound.class);
    }
}
