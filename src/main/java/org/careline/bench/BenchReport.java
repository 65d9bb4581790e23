package org.careline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The results as a Markdown table (printed) and as JSON (target/bench/results.json). */
public final class BenchReport {

    private BenchReport() {
    }

    public static String markdown(List<ScenarioResult> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | N | throughput/s | p50 ms | p99 ms | max ms | max in any 1 s | baseline/s | ratio "
                + "| peak heap MiB | peak RSS MiB |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult r : rows) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.n()).append(" | ")
                    .append(num(r.throughputPerSecond(), 0)).append(" | ")
                    .append(num(r.latency().p50Millis(), 1)).append(" | ")
                    .append(num(r.latency().p99Millis(), 1)).append(" | ")
                    .append(num(r.latency().maxMillis(), 1)).append(" | ")
                    .append(r.maxPerSecond() == null ? "" : r.maxPerSecond().toString()).append(" | ")
                    .append(r.baselineThroughputPerSecond() == null ? "" : num(r.baselineThroughputPerSecond(), 0))
                    .append(" | ").append(r.ratio() == null ? "" : num(r.ratio(), 2)).append(" | ")
                    .append(num(r.peakHeapMiB(), 0)).append(" | ").append(num(r.peakRssMiB(), 0)).append(" |\n");
        }
        return b.toString();
    }

    public static void writeJson(List<ScenarioResult> rows, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = json.createArrayNode();
        for (ScenarioResult r : rows) {
            ObjectNode o = array.addObject();
            o.put("scenario", r.scenario());
            o.put("n", r.n());
            put(o, "throughput_per_s", r.throughputPerSecond());
            put(o, "p50_ms", r.latency().p50Millis());
            put(o, "p99_ms", r.latency().p99Millis());
            put(o, "max_ms", r.latency().maxMillis());
            if (r.maxPerSecond() != null) {
                o.put("max_per_s", r.maxPerSecond());
            }
            if (r.baselineThroughputPerSecond() != null) {
                put(o, "baseline_throughput_per_s", r.baselineThroughputPerSecond());
                put(o, "ratio", r.ratio());
            }
            put(o, "peak_heap_mib", r.peakHeapMiB());
            put(o, "peak_rss_mib", r.peakRssMiB());
            if (r.note() != null && !r.note().isEmpty()) {
                o.put("note", r.note());
            }
        }
        Files.createDirectories(file.getParent());
        json.writeValue(file.toFile(), array);
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, Math.round(v * 100.0) / 100.0);
        }
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
