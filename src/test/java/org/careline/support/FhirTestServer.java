package org.careline.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real HAPI FHIR JPA R4 server (in-memory H2, REST-hook subscriptions) for the tests that need one: the separate
 * {@code fhir-testserver/} project's jar (built by the root pom before the tests run), started once per test JVM on
 * its first use, on a free port, shared by every test, and killed when the JVM exits. Its output (stdout and stderr)
 * goes to {@code target/fhir-testserver.log}.
 *
 * <p>It is one shared database for the whole run: tests tell their data apart (own identifiers, own subscription
 * endpoints) rather than expect an empty server.
 */
public final class FhirTestServer {

    public static final Path JAR = Path.of("fhir-testserver", "target", "fhir-testserver.jar");
    public static final Path LOG = Path.of("target", "fhir-testserver.log");
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private static FhirTestServer shared;

    private final Process process;
    private final int port;

    private FhirTestServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The shared server, started (and waited for) on the first call. */
    public static synchronized FhirTestServer get() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
        }
        return shared;
    }

    /** {@code http://localhost:PORT/fhir} of the shared server. */
    public static String baseUrl() {
        return "http://localhost:" + get().port + "/fhir";
    }

    public int port() {
        return port;
    }

    private static FhirTestServer start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: it is built by `mvn verify` (the root "
                    + "pom runs `package` on fhir-testserver/pom.xml before the tests; not with -DskipTests), or by hand "
                    + "with `mvn -B -f fhir-testserver/pom.xml package`");
        }
        int port = freePort();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-jar", JAR.toAbsolutePath().toString(), String.valueOf(port));
        Process p;
        try {
            Files.createDirectories(LOG.getParent());
            Files.deleteIfExists(LOG);
            // stdout is read here (for the READY line) and copied to the log; stderr goes to the same log directly.
            p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + command, e);
        }
        Process process = p;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroyForcibly();
        }, "fhir-testserver-kill"));

        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpStdout(process, port, ready), "fhir-testserver-stdout");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(BOOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("FHIR test server printed no READY line within " + BOOT_TIMEOUT + "\n"
                    + logTail());
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("FHIR test server did not start: " + e.getMessage() + "\n" + logTail(), e);
        }
        // stdin stays open (the server ends when it closes, i.e. when this JVM is gone).
        return new FhirTestServer(process, port);
    }

    private static void pumpStdout(Process process, int port, CompletableFuture<Void> ready) {
        String expected = "FHIR-TESTSERVER READY " + port;
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             OutputStream log = Files.newOutputStream(LOG, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND);
             PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.equals(expected)) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
            return;
        }
        ready.completeExceptionally(new IllegalStateException("exited (" + waitExit(process) + ") before READY"));
    }

    private static String waitExit(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static int freePort() {
        try {
            return EngineFixture.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last 8000 characters of {@code target/fhir-testserver.log}, for failure messages. */
    public static String logTail() {
        try {
            String s = Files.readString(LOG, StandardCharsets.UTF_8);
            return "--- " + LOG + " (tail) ---\n" + (s.length() <= 8000 ? s : "..." + s.substring(s.length() - 8000));
        } catch (IOException e) {
            return "(" + LOG + " unreadable: " + e + ")";
        }
    }
}
