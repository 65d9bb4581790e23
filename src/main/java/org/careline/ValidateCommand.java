package org.careline;

import org.careline.config.FhirMapping;
import org.careline.config.AlertRulesMapping;
import org.careline.config.NotificationRules;
import org.careline.config.OruMapping;
import org.careline.config.ReplyRules;
import org.careline.config.ReportsMapping;
import org.careline.config.ResultsMapping;
import org.careline.config.RetentionMapping;
import org.careline.config.SettingValues;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.config.SiuMapping;
import org.careline.config.TemplateCatalog;
import org.careline.config.TriageRules;
import org.careline.config.WritebackMapping;
import org.careline.model.ResultRules;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.careline.config.SettingsCatalog.MAPPINGS_DIR;
import static org.careline.config.SettingsCatalog.PHONE_REGION;
import static org.careline.config.SettingsCatalog.ROUTES_DIR;
import static org.careline.config.SettingsCatalog.TIMEZONE;
import static org.careline.config.SettingsCatalog.WHATSAPP_ACCESS_TOKEN;
import static org.careline.config.SettingsCatalog.WHATSAPP_API_BASE;

/**
 * {@code careline validate}: the checks the engine makes at start (every variable, the routes directory, every
 * mapping file through its own loader), without opening the database or any port, and without stopping at the
 * first problem. Route files are only parsed as YAML here; Camel checks what they say when the engine starts.
 */
@Command(name = "validate", description = "Check the environment, routes/ and mappings/ without starting anything; "
        + "print every problem, exit 0 when there is none, 2 otherwise.")
final class ValidateCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    ValidateCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        SettingValues settings = SettingValues.read(env);
        List<String> problems = new ArrayList<>(settings.problems());
        Path routes = settings.get(ROUTES_DIR);
        Path mappings = settings.get(MAPPINGS_DIR);
        int routeFiles = checkRoutes(routes, problems);
        checkMappings(settings, mappings, problems);
        if (settings.problems().isEmpty()) {
            // The PEM files of TLS: readable, of the right kind, the key fitting the certificate.
            org.careline.edge.EdgeWiring.check(Settings.from(env).tls()).ifPresent(problems::add);
        }

        PrintWriter err = spec.commandLine().getErr();
        problems.forEach(problem -> err.println("careline: " + problem));
        err.flush();
        if (!problems.isEmpty()) {
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("careline: environment, " + routes.toAbsolutePath() + " (" + routeFiles + " route files) and "
                + mappings.toAbsolutePath() + " are valid");
        out.flush();
        return 0;
    }

    /** Each routes/*.yaml must be YAML; returns how many there are. */
    private static int checkRoutes(Path dir, List<String> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add("routes directory not found: " + dir.toAbsolutePath() + " (set CARELINE_ROUTES_DIR)");
            return 0;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(dir + ": " + e.getMessage());
            return 0;
        }
        for (Path file : files) {
            // Nodes only: nothing in the file is turned into an object.
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (Node ignored : yaml.composeAll(reader)) {
                    // composing each document is the check
                }
            } catch (MarkedYAMLException e) {
                problems.add(file + ", line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                        + e.getProblem());
            } catch (IOException | RuntimeException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return files.size();
    }

    /** Every mapping file through the loader the engine uses (see Engine.create), each problem once. */
    private void checkMappings(SettingValues settings, Path dir, List<String> problems) {
        check(problems, () -> SiuMapping.load(dir));
        SiteDirectory sites = check(problems,
                () -> SiteDirectory.load(dir, settings.get(TIMEZONE), settings.get(PHONE_REGION)));
        if (sites != null) {
            org.careline.config.DemoGuard.refusal(settings.get(WHATSAPP_ACCESS_TOKEN) != null,
                    settings.get(WHATSAPP_API_BASE),
                    sites.demoSites(), dir.resolve("sites.yaml")).ifPresent(problems::add);
        }
        TemplateCatalog templates = check(problems, () -> TemplateCatalog.load(dir));
        ReplyRules replies = check(problems, () -> ReplyRules.load(dir));
        check(problems, () -> WritebackMapping.load(dir));
        check(problems, () -> OruMapping.load(dir));
        ResultRules results = check(problems, () -> ResultsMapping.load(dir));
        check(problems, () -> FhirMapping.load(dir));
        check(problems, () -> RetentionMapping.load(dir));
        // Site codes are checked against sites.yaml when it could be read; secretEnv against this environment.
        NotificationRules notifications = check(problems, () -> NotificationRules.load(dir, env::get,
                code -> sites == null || sites.byCode(code).isPresent()));
        if (notifications != null) {
            check(problems, () -> ReportsMapping.load(dir, code -> sites == null || sites.byCode(code).isPresent(),
                    notifications));
        }
        TriageRules triage = check(problems, () -> TriageRules.load(dir));
        NotificationRules channels = notifications;
        check(problems, () -> AlertRulesMapping.load(dir, code -> sites == null || sites.byCode(code).isPresent(),
                channels == null ? null : channels.channels().keySet(),
                queue -> triage == null || triage.queues().containsKey(queue)));
        if (triage != null && replies != null && sites != null && templates != null) {
            check(problems, () -> {
                triage.checkAgainst(dir, replies, sites, templates);
                return null;
            });
        }
        if (templates != null && sites != null) {
            check(problems, () -> {
                org.careline.consent.ConsentWiring.requireOptInTemplate(dir, sites, templates);
                return null;
            });
        }
        if (templates != null && results != null) {
            check(problems, () -> {
                Engine.requireDocumentTemplate(dir, results, templates);
                return null;
            });
        }
    }

    private static <T> T check(List<String> problems, Supplier<T> load) {
        try {
            return load.get();
        } catch (RuntimeException e) {
            problems.add(e.getMessage() != null ? e.getMessage() : e.toString());
            return null;
        }
    }
}
