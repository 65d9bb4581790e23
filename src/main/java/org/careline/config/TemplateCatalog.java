package org.careline.config;

import org.careline.model.MessageKind;
import org.careline.model.TemplateSpec;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** mappings/templates.yaml: per message kind the WhatsApp template, and per language how dates and times read. */
public final class TemplateCatalog {

    /** Variables a template body may name; anything else is a typo that would send "-" to patients. */
    public static final Set<String> VARIABLES = Set.of("patient_first_name", "provider", "date", "time",
            "facility_name", "facility_address", "map_link", "instructions", "clinic_phone", "portal_link");

    record File(Map<String, FormatSpec> formats, Map<String, TemplateEntry> templates) {
    }

    record FormatSpec(String date, String time, String locale) {
    }

    record TemplateEntry(String name, String defaultLanguage, Map<String, String> languages, List<String> body,
                         List<String> buttons) {
    }

    /** How dates and times are written for one language. */
    public record Formats(DateTimeFormatter date, DateTimeFormatter time) {
    }

    private final Map<MessageKind, TemplateSpec> templates;
    private final Map<String, Formats> formats;

    private TemplateCatalog(Map<MessageKind, TemplateSpec> templates, Map<String, Formats> formats) {
        this.templates = templates;
        this.formats = formats;
    }

    public static TemplateCatalog load(Path dir) {
        Path path = dir.resolve("templates.yaml");
        File f = YamlFiles.read(path, File.class);
        // Unknown kinds first: a misspelt kind ("canceled") is named as the mistake, not as a missing kind.
        if (f.templates() != null) {
            for (String k : f.templates().keySet()) {
                boolean known = false;
                for (MessageKind kind : MessageKind.values()) {
                    known |= kind.isTemplate() && kind.key().equals(k);
                }
                if (!known) {
                    throw YamlFiles.problem(path, "templates." + k, "not a message kind (known: "
                            + java.util.Arrays.stream(MessageKind.values()).filter(MessageKind::isTemplate)
                            .map(MessageKind::key).toList() + ")");
                }
            }
        }
        Map<MessageKind, TemplateSpec> templates = new EnumMap<>(MessageKind.class);
        for (MessageKind kind : MessageKind.values()) {
            if (!kind.isTemplate()) {
                continue;
            }
            TemplateEntry e = f.templates() == null ? null : f.templates().get(kind.key());
            String key = "templates." + kind.key();
            if (e == null && kind == MessageKind.DOCUMENT_ATTACHED) {
                continue; // optional: needed only when results.yaml lists documents.attachPdf (checked at start)
            }
            if (e == null && kind == MessageKind.OPT_IN) {
                continue; // optional: needed only when a site of sites.yaml is opt-in (checked at start)
            }
            if (e == null && kind == MessageKind.FOLLOW_UP) {
                continue; // optional: needed only when triage.yaml offers it (followUpTemplate, checked at start)
            }
            if (e == null) {
                throw YamlFiles.problem(path, key, "missing");
            }
            List<String> body = e.body() == null ? List.of() : e.body();
            for (int i = 0; i < body.size(); i++) {
                if (!VARIABLES.contains(body.get(i))) {
                    throw YamlFiles.problem(path, key + ".body[" + i + "]", "unknown variable '"
                            + body.get(i) + "'; known: " + VARIABLES);
                }
            }
            try {
                templates.put(kind, new TemplateSpec(e.name(), e.defaultLanguage(), e.languages(), body, e.buttons()));
            } catch (IllegalArgumentException ex) {
                throw YamlFiles.problem(path, key, ex.getMessage());
            }
        }
        Map<String, Formats> formats = new java.util.HashMap<>();
        Map<String, FormatSpec> specs = f.formats() == null ? Map.of() : f.formats();
        specs.forEach((lang, spec) -> {
            Locale locale = Locale.forLanguageTag(spec.locale() == null ? lang : spec.locale());
            try {
                formats.put(lang.toLowerCase(Locale.ROOT), new Formats(
                        DateTimeFormatter.ofPattern(spec.date(), locale), DateTimeFormatter.ofPattern(spec.time(), locale)));
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw YamlFiles.problem(path, "formats." + lang, "bad date/time pattern");
            }
        });
        formats.putIfAbsent("default", new Formats(DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH),
                DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH)));
        return new TemplateCatalog(templates, formats);
    }

    public TemplateSpec template(MessageKind kind) {
        return templates.get(kind);
    }

    /** Formats for the patient's language (ISO 639-1), else the default. */
    public Formats formats(String language) {
        if (language != null) {
            Formats f = formats.get(language.toLowerCase(Locale.ROOT));
            if (f != null) {
                return f;
            }
        }
        return formats.get("default");
    }
}
