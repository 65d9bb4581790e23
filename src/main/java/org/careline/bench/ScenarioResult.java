package org.careline.bench;

/**
 * One row of the benchmark's table and one object of results.json. {@code baselineThroughputPerSecond},
 * {@code ratio} and {@code maxPerSecond} are null where they do not apply; heap and RSS are the engine process's
 * peaks when the scenario ended (NaN if unknown).
 */
public record ScenarioResult(String scenario, long n, double throughputPerSecond, LatencyStats latency,
                             Double baselineThroughputPerSecond, Integer maxPerSecond, double peakHeapMiB,
                             double peakRssMiB, String note) {

    public Double ratio() {
        return baselineThroughputPerSecond == null || baselineThroughputPerSecond <= 0 ? null
                : throughputPerSecond / baselineThroughputPerSecond;
    }
}
