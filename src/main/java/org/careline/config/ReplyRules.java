package org.careline.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** mappings/replies.yaml: keywords, button payloads, the menu, emergency phrases and reply texts per language. */
public record ReplyRules(String defaultLanguage, Map<String, String> payloads, Map<String, String> menu,
                         Map<String, Language> languages) {

    public static final Set<String> INTENTS = Set.of("confirm", "change", "cancel", "location", "help", "stop", "start",
            "thanks", "consent_yes", "consent_no");
    public static final Set<String> TEXTS = Set.of("confirm", "change", "cancel", "help", "menu", "stopped", "started",
            "emergency", "noAppointment", "noMap");

    /** One language's words and texts. */
    public record Language(Map<String, List<String>> keywords, List<String> emergency, Map<String, String> texts) {
    }

    public static ReplyRules load(Path dir) {
        Path file = dir.resolve("replies.yaml");
        ReplyRules r = YamlFiles.read(file, ReplyRules.class);
        if (r.languages() == null || r.languages().isEmpty()) {
            throw YamlFiles.problem(file, "languages", "at least one language is required");
        }
        if (r.defaultLanguage() == null || !r.languages().containsKey(r.defaultLanguage())) {
            throw YamlFiles.problem(file, "defaultLanguage", "must name one of " + r.languages().keySet());
        }
        checkIntents(file, "payloads", r.payloads());
        checkIntents(file, "menu", r.menu());
        r.languages().forEach((lang, l) -> {
            String key = "languages." + lang;
            if (l.keywords() != null) {
                l.keywords().keySet().forEach(intent -> {
                    if (!INTENTS.contains(intent)) {
                        throw YamlFiles.problem(file, key + ".keywords." + intent,
                                "not an intent; known: " + INTENTS);
                    }
                });
            }
            for (String text : TEXTS) {
                if (l.texts() == null || l.texts().get(text) == null || l.texts().get(text).isBlank()) {
                    throw YamlFiles.problem(file, key + ".texts." + text, "missing");
                }
            }
        });
        return new ReplyRules(r.defaultLanguage(), orEmpty(r.payloads()), orEmpty(r.menu()),
                new LinkedHashMap<>(r.languages()));
    }

    private static void checkIntents(Path file, String section, Map<String, String> map) {
        if (map == null) {
            return;
        }
        map.forEach((k, intent) -> {
            if (intent == null || !INTENTS.contains(intent)) {
                throw YamlFiles.problem(file, section + "." + k, "'" + intent
                        + "' is not an intent; known: " + INTENTS);
            }
        });
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    /** The reply text {@code name} in {@code language}, else in the default language. */
    public String text(String language, String name) {
        Language l = languages.getOrDefault(language, languages.get(defaultLanguage));
        return l.texts().get(name);
    }
}
