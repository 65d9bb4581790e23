package org.careline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM under test, started as production starts it ({@code java -Xmx256m -jar target/careline.jar}, or the
 * baseline's main class from the same jar) with only the environment the harness gives it. Its GC log (for the peak
 * heap: the largest "before" figure of any collection) and output go to files under target/bench/.
 */
public final class EngineUnderTest implements AutoCloseable {

    private static final Pattern GC_BEFORE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final String name;
    private final Process process;
    private final Path gcLog;
    private final Path log;

    private EngineUnderTest(String name, Process process, Path gcLog, Path log) {
        this.name = name;
        this.process = process;
        this.gcLog = gcLog;
        this.log = log;
    }

    /**
     * Starts {@code java -Xmx256m [extraJvm] -jar jar [args]} (or {@code -cp jar mainClass args} when mainClass is
     * given) in the current directory (the checkout root, where routes/ and mappings/ are).
     */
    public static EngineUnderTest start(String name, Path jar, String mainClass, List<String> args,
                                        List<String> extraJvm, Map<String, String> env, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path gc = dir.resolve(name + "-gc.log");
        Path out = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Xlog:gc:file=" + gc + ":uptime"));
        command.addAll(extraJvm);
        if (mainClass == null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", jar.toString(), mainClass));
        }
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CARELINE_") || k.startsWith("WHATSAPP_"));
        pb.environment().putAll(env);
        return new EngineUnderTest(name, pb.start(), gc, out);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Waits until GET url answers 200 (the engine's /health), failing if the process dies or time runs out. */
    public void awaitHttp200(String url, Duration max) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(name + " not healthy within " + max + "; see " + log);
    }

    /** Waits until something accepts TCP connections on the port (the baseline has no HTTP). */
    public void awaitPort(int port, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException(name + " not listening on " + port + " within " + max + "; see " + log);
    }

    /** Peak resident set so far (VmHWM of /proc/pid/status), in MiB; NaN where /proc is not there. */
    public double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // process gone or no /proc
        }
        return Double.NaN;
    }

    /** Largest heap occupancy any collection found on entry (MiB), from the GC log; NaN if none ran. */
    public double peakHeapMiB() {
        return peakHeapMiB(gcLog);
    }

    static double peakHeapMiB(Path gcLog) {
        double peak = Double.NaN;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_BEFORE.matcher(line);
                if (m.find()) {
                    double before = Double.parseDouble(m.group(1));
                    peak = Double.isNaN(peak) ? before : Math.max(peak, before);
                }
            }
        } catch (IOException noLog) {
            // NaN
        }
        return peak;
    }

    /** SIGTERM, as an orchestrator stops it; SIGKILL after 30 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
