package org.careline;

import org.careline.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

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

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return startEngine(env, spec.commandLine().getErr());
    }

    /**
     * Runs the engine until it is stopped. A configuration mistake (a setting, a mapping file) ends the start with
     * one line naming the variable or file, line and key; what else fails is said in one line by
     * {@link CommandErrors}.
     */
    static int startEngine(Map<String, String> env, PrintWriter err) throws Exception {
        Settings settings;
        try {
            settings = Settings.from(env);
        } catch (IllegalArgumentException e) {
            err.println("careline: " + CommandErrors.oneLine(e));
            err.flush();
            return CommandErrors.MISTAKE;
        }
        Engine.run(settings);
        return 0;
    }
}
