package org.careline;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Entry point. {@code java -jar target/careline.jar} starts the engine from the checkout root (as {@code run} does);
 * {@code --help} lists the other commands: {@code send-hl7} sends a message file to a running engine, {@code bench}
 * runs the benchmark (docs/performance.md), {@code config} prints the effective settings, {@code validate}
 * checks the environment, routes/ and mappings/ without starting anything, and {@code audit verify} checks the audit
 * trail's hash chain (docs/audit.md).
 */
@Command(name = "careline", description = "Careline patient-messaging engine. Without a command it starts the engine.",
        synopsisSubcommandLabel = "[COMMAND]", commandListHeading = "%nCommands:%n")
public final class Careline implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final Map<String, String> env;

    private Careline(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        // Only "careline" alone or "careline run" starts the engine; help, a typo or any other command never does.
        boolean engine = args.length == 0 || args[0].equals("run");
        int code = commandLine(System.getenv()).execute(args);
        // An engine stopped by SIGTERM returns here while the JVM's shutdown hooks run: leave as before, without
        // System.exit (which would wait on those hooks). Every other command ends the JVM with its exit code.
        if (code != 0 || !engine) {
            System.exit(code);
        }
    }

    /** The command line over {@code env} (the process environment, or a test's). */
    static CommandLine commandLine(Map<String, String> env) {
        CommandErrors errors = new CommandErrors();
        return new CommandLine(new Careline(env))
                .addSubcommand(new RunCommand(env))
                .addSubcommand(new SendHl7Command(env))
                .addSubcommand(new BenchEntry())
                .addSubcommand(new ConfigCommand(env))
                .addSubcommand(new ValidateCommand(env))
                .addSubcommand(new RegisterCommand(env))
                .addSubcommand(new ReportCommand(env))
                .addSubcommand(new PendingCommand(env))
                .addSubcommand("users", UsersCommand.commandLine(env))
                .addSubcommand("audit", AuditCommand.commandLine(env))
                .addSubcommand("keys", KeysCommand.commandLine(env))
                // After the subcommands: picocli hands these down to every one added before.
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return RunCommand.startEngine(env, spec.commandLine().getErr());
    }
}
