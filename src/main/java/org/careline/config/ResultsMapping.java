package org.careline.config;

import org.careline.model.ResultRules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and checks mappings/results.yaml into {@link ResultRules}; mistakes name the file, line and key. */
public final class ResultsMapping {

    record File(@com.fasterxml.jackson.annotation.JsonProperty("notify") Map<String, String> statuses, String foldWindow, String linkValidity, DocumentsSpec documents,
                Map<String, CategorySpec> categories) {
    }

    record DocumentsSpec(List<String> notifyCompletion, List<String> withdrawAvailability, List<String> attachPdf) {
    }

    record CategorySpec(List<String> orderCodes, List<String> sections, List<String> producers,
                        List<String> documentTypes, Boolean hold, String delay) {
    }

    private ResultsMapping() {
    }

    public static ResultRules load(Path dir) {
        Path file = dir.resolve("results.yaml");
        File f = YamlFiles.read(file, File.class);
        Map<String, ResultRules.Notice> notify = new LinkedHashMap<>();
        if (f.statuses() == null || f.statuses().isEmpty()) {
            throw YamlFiles.problem(file, "notify", "at least one status is required (e.g. F: available)");
        }
        f.statuses().forEach((status, what) -> {
            if (!status.matches("[A-Z]")) {
                throw YamlFiles.problem(file, "notify." + status, "not a one-letter result status (F, C, P, ...)");
            }
            try {
                notify.put(status, ResultRules.Notice.valueOf(what.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw YamlFiles.problem(file, "notify." + status, "'" + what + "' is not one of available, updated, none");
            }
        });
        if ("X".equals(f.statuses().keySet().stream().filter("X"::equals).findFirst().orElse(null))) {
            throw YamlFiles.problem(file, "notify.X", "X (cancelled) always withdraws; it cannot be announced");
        }
        Duration fold = duration(file, "foldWindow", f.foldWindow(), Duration.ofMinutes(15));
        Duration validity = duration(file, "linkValidity", f.linkValidity(), Duration.ofDays(30));
        if (validity.isZero()) {
            throw YamlFiles.problem(file, "linkValidity", "must be longer than 0");
        }
        DocumentsSpec d = f.documents() == null ? new DocumentsSpec(null, null, null) : f.documents();
        List<ResultRules.Category> categories = new ArrayList<>();
        if (f.categories() != null) {
            f.categories().forEach((name, c) -> {
                String key = "categories." + name;
                boolean hold = Boolean.TRUE.equals(c.hold());
                Duration delay = c.delay() == null ? null : duration(file, key + ".delay", c.delay(), null);
                if (hold == (delay != null)) {
                    throw YamlFiles.problem(file, key, "give exactly one of 'hold: true' or 'delay: <duration>'");
                }
                ResultRules.Category cat = new ResultRules.Category(name, set(c.orderCodes()), set(c.sections()),
                        set(c.producers()), set(c.documentTypes()), hold, delay);
                if (cat.orderCodes().isEmpty() && cat.sections().isEmpty() && cat.producers().isEmpty()
                        && cat.documentTypes().isEmpty()) {
                    throw YamlFiles.problem(file, key, "matches nothing: list orderCodes, sections, producers or "
                            + "documentTypes");
                }
                categories.add(cat);
            });
        }
        Set<String> attachPdf = attachPdf(file, d.attachPdf(), categories);
        return new ResultRules(Map.copyOf(notify), fold, validity,
                set(d.notifyCompletion() == null ? List.of("AU", "LA") : d.notifyCompletion()),
                set(d.withdrawAvailability() == null ? List.of("CA") : d.withdrawAvailability()),
                List.copyOf(categories), attachPdf);
    }

    /**
     * documents.attachPdf: TXA-2 codes, each a plain code (letters, digits, '_', '-', '.'), none of them in a
     * sensitive category (a PDF is sent only for documents with no clinical data, so a type that is held or
     * delayed as sensitive cannot be listed).
     */
    private static Set<String> attachPdf(Path file, List<String> types, List<ResultRules.Category> categories) {
        if (types == null) {
            return Set.of();
        }
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            if (t == null || !t.trim().matches("[A-Za-z0-9_.-]{1,50}")) {
                throw YamlFiles.problem(file, "documents.attachPdf[" + i + "]",
                        "not a document type code (TXA-2, e.g. RECEIPT)");
            }
            String code = t.trim().toUpperCase(Locale.ROOT);
            for (ResultRules.Category c : categories) {
                if (c.documentTypes().contains(code)) {
                    throw YamlFiles.problem(file, "documents.attachPdf[" + i + "]", "'" + t.trim()
                            + "' is in the sensitive category '" + c.name() + "': only documents with no clinical "
                            + "data (e.g. a receipt) may be sent as a PDF");
                }
            }
        }
        return set(types);
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : values.stream().map(v -> v.trim().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Duration duration(Path file, String key, String text, Duration def) {
        if (text == null) {
            return def;
        }
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw YamlFiles.problem(file, key, e.getMessage());
        }
    }
}
