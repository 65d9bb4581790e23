package org.careline;

import org.careline.config.MappingException;
import org.careline.config.Settings;

/**
 * Entry point. {@code java -jar target/careline.jar} starts the engine from the checkout root;
 * {@code java -jar target/careline.jar send-hl7 FILE} sends a message file to a running engine;
 * {@code java -jar target/careline.jar bench [--quick]} runs the benchmark (README.md, "Benchmark").
 */
public final class Careline {

    private Careline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("send-hl7")) {
            System.exit(SendHl7Command.run(args));
        }
        if (args.length > 0 && args[0].equals("bench")) {
            System.exit(org.careline.bench.BenchCommand.run(args));
        }
        try {
            Engine.run(Settings.fromEnvironment());
        } catch (MappingException | IllegalArgumentException | IllegalStateException e) {
            // A configuration mistake: say which file/key/variable, without a stack trace.
            System.err.println("careline: " + e.getMessage());
            System.exit(2);
        }
    }
}
