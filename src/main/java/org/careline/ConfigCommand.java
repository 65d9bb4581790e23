package org.careline;

import org.careline.config.Setting;
import org.careline.config.SettingValues;
import org.careline.config.SettingsCatalog;
import org.careline.config.SettingsDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code careline config}: every setting of the catalog with its effective value and whether the environment or the
 * default gave it. Secrets are never printed: **** when set, (unset) when not.
 */
@Command(name = "config", description = "Print the effective settings: every variable, where its value came from "
        + "(environment or default) and the value, secrets masked.")
final class ConfigCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--markdown", description = "Print the configuration table of "
            + "docs/configuration.md instead.")
    private boolean markdown;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    ConfigCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (markdown) {
            out.print(SettingsDocs.table());
            out.flush();
            return 0;
        }
        SettingValues values = SettingValues.read(env);
        int width = SettingsCatalog.ALL.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        for (Setting<?> setting : SettingsCatalog.ALL) {
            out.printf("%-" + width + "s  %-11s  %s%n", setting.name(), values.source(setting),
                    values.display(setting));
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        values.problems().forEach(problem -> err.println("careline: " + problem));
        err.flush();
        return values.problems().isEmpty() ? 0 : 2;
    }
}
