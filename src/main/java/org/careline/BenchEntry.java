package org.careline;

import org.careline.bench.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code careline bench ...}: the arguments go to {@link BenchCommand}, which parses them itself. */
@Command(name = "bench", description = "Run the benchmark against the engine started as production starts it "
        + "(docs/performance.md).",
        footer = "Options (read by the benchmark itself): [--quick] [--n N] [--latency-ms L] [--webhook-clients C] "
                + "[--engine-env CARELINE_NAME=value]...; or --stats [--appointments N] [--messages M] [--calls C]: "
                + "the dashboard's figures over a year of data")
final class BenchEntry implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Unmatched
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>();
        all.add("bench");
        all.addAll(args);
        return BenchCommand.run(all.toArray(String[]::new));
    }
}
