package org.careline;

import org.careline.config.MappingException;
import org.careline.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code careline run} (also what {@code careline} alone does): the engine, until the JVM is asked to stop. */
@Command(name = "run", description = "Start the engine (the default when no command is given).")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final Map<String, String> env;

    RunCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return startEngine(env);
    }

    static int startEngine(Map<String, String> env) throws Exception {
        try {
            Engine.run(Settings.from(env));
            return 0;
        } catch (MappingException | IllegalArgumentException | IllegalStateException e) {
            // A configuration mistake: say which file/key/variable, without a stack trace.
            System.err.println("careline: " + e.getMessage());
            return 2;
        }
    }
}
