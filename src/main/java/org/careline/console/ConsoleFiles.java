package org.careline.console;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Serves the staff console's pages (classpath {@code console/*}) under {@code /console/}. The pages hold no data
 * (the data comes from /api/v1, which needs a sign-in), so serving them needs none. Every answer, a 404 and the
 * redirect included, carries the security headers: the Content-Security-Policy allows scripts and styles from this
 * origin only (nothing inline, nothing from a CDN), and the pages may not be framed.
 *
 * <p>A file is named by one path segment of plain characters and a known extension. Anything else (a slash, a
 * dot-dot, a percent-encoded byte) is not a file of the console and is answered 404 without being decoded, so no
 * path can reach outside {@code console/}.
 */
public final class ConsoleFiles {

    /** Where the console lives on the HTTP port. */
    public static final String BASE = "/console";

    /** The headers of every answer. */
    public static final Map<String, String> SECURITY_HEADERS = securityHeaders();

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*\\.(html|js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    /** What a request for a path is answered with. */
    public sealed interface Answer permits File, Redirect, NotFound {
    }

    /**
     * A file of the console. {@code noStore}: the page itself (index.html), never cached, so a new engine's page
     * is the one shown; the scripts and styles it names may be kept but are checked again on every use.
     */
    public record File(String name, String contentType, byte[] body, boolean noStore) implements Answer {
    }

    /** {@code /console} without its slash: the page's relative links need the slash. */
    public record Redirect(String location) implements Answer {
    }

    /** No such file of the console. */
    public record NotFound() implements Answer {
    }

    private final Function<String, byte[]> source;

    /** {@code source}: a file's bytes by its name (e.g. "app.js"), null when there is none. */
    public ConsoleFiles(Function<String, byte[]> source) {
        this.source = source;
    }

    /**
     * Files the console takes from a library's jar rather than from console/: Chart.js, from the
     * org.webjars.npm:chart.js dependency (its version in pom.xml must be this one; ConsoleFilesTest serves it).
     * Built once at packaging time by its authors, never fetched from a CDN.
     */
    static final Map<String, String> VENDORED = Map.of(
            "chart.js", "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js");

    /** The files packaged with the engine (classpath console/, and the vendored ones). */
    public static ConsoleFiles fromClasspath() {
        ClassLoader loader = ConsoleFiles.class.getClassLoader();
        return new ConsoleFiles(name -> {
            try (InputStream in = loader.getResourceAsStream(VENDORED.getOrDefault(name, "console/" + name))) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The files of a directory (a test serving src/main/resources/console as it is edited), and the vendored ones. */
    public static ConsoleFiles fromDirectory(Path dir) {
        ConsoleFiles packaged = fromClasspath();
        return new ConsoleFiles(name -> {
            if (VENDORED.containsKey(name)) {
                return packaged.source.apply(name);
            }
            Path file = dir.resolve(name);
            try {
                return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The answer for a request path as received (e.g. "/console/app.js"; a query is ignored). */
    public Answer resolve(String requestPath) {
        if (requestPath == null) {
            return new NotFound();
        }
        String path = requestPath;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.equals(BASE)) {
            return new Redirect(BASE + "/");
        }
        if (!path.startsWith(BASE + "/")) {
            return new NotFound();
        }
        String name = path.substring(BASE.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (!FILE_NAME.matcher(name).matches()) {
            return new NotFound();
        }
        byte[] body = source.apply(name);
        if (body == null) {
            return new NotFound();
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return new File(name, TYPES.get(extension), body, name.equals("index.html"));
    }

    /** The route's bean method: answers the request on the exchange. */
    public void serve(Exchange exchange) {
        Message in = exchange.getMessage();
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            uri = in.getHeader(Exchange.HTTP_PATH, String.class);
        }
        write(exchange, resolve(pathOf(uri)));
    }

    /** Status, headers and body of an answer, as any HTTP server would send them. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    /** The HTTP reply for an answer (shared by the route and by tests' own servers, so both answer alike). */
    public static Reply reply(Answer answer) {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        // Java 17: no pattern switch yet; the interface is sealed, so these three are all there are.
        if (answer instanceof File f) {
            headers.put("Content-Type", f.contentType());
            headers.put("Cache-Control", f.noStore() ? "no-store" : "no-cache");
            return new Reply(200, headers, f.body());
        }
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        if (answer instanceof Redirect r) {
            headers.put("Location", r.location());
            return new Reply(301, headers, ("see " + r.location()).getBytes(StandardCharsets.UTF_8));
        }
        return new Reply(404, headers, "not found".getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Exchange exchange, Answer answer) {
        Reply reply = reply(answer);
        Message out = exchange.getMessage();
        // None of the request's headers go back (platform-http would otherwise echo them).
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        reply.headers().forEach((name, value) -> out.setHeader(
                name.equals("Content-Type") ? Exchange.CONTENT_TYPE : name, value));
        out.setBody(reply.body());
    }

    /** The path of a request URI, which may come absolute (http://host:port/console/...). */
    private static String pathOf(String uri) {
        if (uri == null) {
            return null;
        }
        int scheme = uri.indexOf("://");
        if (scheme >= 0 && scheme < uri.indexOf('/')) {
            int slash = uri.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                + "form-action 'self'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        return java.util.Collections.unmodifiableMap(h);
    }
}
