package org.careline.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Careline's real entry point ({@code org.careline.Careline}) in a JVM of its own, started with the test JVM's
 * class path and only the environment the test gives it (no CARELINE_* or WHATSAPP_* variable leaks in from the
 * machine). Standard output and standard error go to separate files the test can read.
 */
public final class EngineProcess implements AutoCloseable {

    private final Process process;
    private final Map<String, String> env;
    private final Path stdout;
    private final Path stderr;

    private EngineProcess(Process process, Map<String, String> env, Path stdout, Path stderr) {
        this.process = process;
        this.env = env;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code java -cp <this JVM's class path> org.careline.Careline}; output files go under {@code dir}. */
    public static EngineProcess start(Map<String, String> env, Path dir, String name) throws IOException {
        return launch(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "org.careline.Careline"), env, dir, name);
    }

    /**
     * Starts the packaged engine as production runs it: {@code java -Xmx256m -jar target/careline.jar}. For tests
     * that run after {@code package} (the failsafe *ReliabilityIT suites).
     */
    public static EngineProcess startJar(Map<String, String> env, Path dir, String name) throws IOException {
        Path jar = Path.of("target", "careline.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run after mvn package");
        }
        return launch(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()), env, dir, name);
    }

    private static EngineProcess launch(List<String> command, Map<String, String> env, Path dir, String name)
            throws IOException {
        Path out = dir.resolve(name + ".out.log");
        Path err = dir.resolve(name + ".err.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CARELINE_") || k.startsWith("WHATSAPP_"));
        pb.environment().putAll(env);
        return new EngineProcess(pb.start(), Map.copyOf(env), out, err);
    }

    public Process process() {
        return process;
    }

    public int httpPort() {
        return Integer.parseInt(env.get("CARELINE_HTTP_PORT"));
    }

    public int mllpPort() {
        return Integer.parseInt(env.get("CARELINE_MLLP_PORT"));
    }

    /** Waits until GET /health answers 200; fails with the engine's log if it dies or the time runs out. */
    public void awaitHealthy(Duration max) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + max.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("engine exited with " + process.exitValue() + " before /health was 200\n"
                        + output());
            }
            try {
                last = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            // Poll interval while the JVM boots: waiting on a condition, bounded by the deadline above.
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                continue; // exited: reported at the top of the loop
            }
        }
        throw new AssertionError("GET /health was not 200 within " + max + " (last status " + last + ")\n" + output());
    }

    /** SIGKILL (Process.destroyForcibly on Linux) and the exit code; 137 = 128 + 9 means it died by SIGKILL. */
    public int kill(Duration max) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("engine still alive " + max + " after SIGKILL");
        }
        return process.exitValue();
    }

    /** SIGTERM (a normal stop: Camel's shutdown hook runs); SIGKILL if it has not ended within {@code max}. */
    public int stop(Duration max) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("engine did not stop within " + max + " of SIGTERM\n" + output());
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("engine did not exit within " + max + "\n" + output());
        }
        return process.exitValue();
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Both streams, for failure messages (the last 8000 characters of each). */
    public String output() {
        try {
            return "--- stdout ---\n" + tail(stdout()) + "\n--- stderr ---\n" + tail(stderr());
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    private static String tail(String s) {
        return s.length() <= 8000 ? s : "..." + s.substring(s.length() - 8000);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
