package org.careline.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** mappings/fhir.yaml: the Subscriptions Careline keeps on the FHIR server. */
public final class FhirMapping {

    /** One Subscription: its name (how Careline finds it again), search criteria and payload. */
    public record Subscription(String name, String criteria, String payload) {
        public boolean fullResource() {
            return "full-resource".equals(payload);
        }
    }

    record File(List<Subscription> subscriptions) {
    }

    private final List<Subscription> subscriptions;

    private FhirMapping(List<Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    public static FhirMapping load(Path dir) {
        Path path = dir.resolve("fhir.yaml");
        File f = YamlFiles.read(path, File.class);
        List<Subscription> subs = f.subscriptions() == null ? List.of() : f.subscriptions();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < subs.size(); i++) {
            Subscription s = subs.get(i);
            String key = "subscriptions[" + i + "]";
            if (s.name() == null || !s.name().matches("[A-Za-z0-9-]{1,60}")) {
                throw YamlFiles.problem(path, key + ".name", "must be 1-60 letters, digits or dashes");
            }
            if (!names.add(s.name())) {
                throw YamlFiles.problem(path, key + ".name", "'" + s.name() + "' is used twice");
            }
            if (s.criteria() == null || !s.criteria().matches("(Appointment|DiagnosticReport)\\?\\S*")) {
                throw YamlFiles.problem(path, key + ".criteria", "must be a search on Appointment or "
                        + "DiagnosticReport, such as \"Appointment?\"");
            }
            if (!"full-resource".equals(s.payload()) && !"empty".equals(s.payload())) {
                throw YamlFiles.problem(path, key + ".payload", "must be full-resource or empty");
            }
        }
        return new FhirMapping(List.copyOf(subs));
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }
}
