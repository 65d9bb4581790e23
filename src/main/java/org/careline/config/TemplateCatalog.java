package org.careline.config;

import org.careline.model.MessageKind;
import org.careline.model.TemplateSpec;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * mappings/templates.yaml: per message kind the WhatsApp template (and its variant without the provider), and how
 * dates and times read: CLDR's for the message's language and the site's country, unless a language's formats are
 * written out.
 */
public final class TemplateCatalog {

    /** Variables a template body may name; anything else is a typo that would send "-" to patients. */
    public static final Set<String> VARIABLES = Set.of("patient_first_name", "provider", "date", "time",
            "facility_name", "facility_address", "map_link", "instructions", "clinic_phone", "portal_link");

    record File(Map<String, FormatSpec> formats, Map<String, TemplateEntry> templates) {
    }

    record FormatSpec(String date, String time, String locale) {
    }

    record TemplateEntry(String name, String defaultLanguage, Map<String, String> languages, List<String> body,
                         List<String> buttons, Variant withoutProvider) {
    }

    /** The same message approved without the provider: its own name and body; languages and buttons are shared. */
    record Variant(String name, List<String> body) {
    }

    /** The variable a template needs a variant without, since Meta refuses an empty parameter. */
    static final String PROVIDER = "provider";

    /** How dates and times are written for one language. */
    public record Formats(DateTimeFormatter date, DateTimeFormatter time) {
    }

    private final Map<MessageKind, TemplateSpec> templates;
    private final Map<MessageKind, TemplateSpec> withoutProvider;
    private final Map<String, FormatSpec> formats;

    private TemplateCatalog(Map<MessageKind, TemplateSpec> templates, Map<MessageKind, TemplateSpec> withoutProvider,
                            Map<String, FormatSpec> formats) {
        this.templates = templates;
        this.withoutProvider = withoutProvider;
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
        Map<MessageKind, TemplateSpec> withoutProvider = new EnumMap<>(MessageKind.class);
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
            List<String> body = checkedBody(path, key + ".body", e.body());
            try {
                templates.put(kind, new TemplateSpec(e.name(), e.defaultLanguage(), e.languages(), body, e.buttons()));
            } catch (IllegalArgumentException ex) {
                throw YamlFiles.problem(path, key, ex.getMessage());
            }
            if (body.contains(PROVIDER) && e.withoutProvider() == null) {
                throw YamlFiles.problem(path, key + ".withoutProvider", "missing: the body names provider, so a "
                        + "message whose feed names no provider needs a template without it (Meta refuses an empty "
                        + "parameter)");
            }
            if (e.withoutProvider() != null) {
                String vkey = key + ".withoutProvider";
                List<String> vbody = checkedBody(path, vkey + ".body", e.withoutProvider().body());
                if (vbody.contains(PROVIDER)) {
                    throw YamlFiles.problem(path, vkey + ".body", "names provider; this variant is sent when no "
                            + "provider is known");
                }
                try {
                    withoutProvider.put(kind, new TemplateSpec(e.withoutProvider().name(), e.defaultLanguage(),
                            e.languages(), vbody, e.buttons()));
                } catch (IllegalArgumentException ex) {
                    throw YamlFiles.problem(path, vkey, ex.getMessage());
                }
            }
        }
        Map<String, FormatSpec> formats = new java.util.HashMap<>();
        Map<String, FormatSpec> specs = f.formats() == null ? Map.of() : f.formats();
        specs.forEach((lang, spec) -> {
            if (lang.equalsIgnoreCase("default")) {
                throw YamlFiles.problem(path, "formats.default", "no longer used: a message's dates follow its "
                        + "language and the site's country (CLDR); remove it");
            }
            try {
                Locale locale = Locale.forLanguageTag(spec.locale() == null ? lang : spec.locale());
                DateTimeFormatter.ofPattern(spec.date(), locale);
                DateTimeFormatter.ofPattern(spec.time(), locale);
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw YamlFiles.problem(path, "formats." + lang, "bad date/time pattern");
            }
            formats.put(lang.toLowerCase(Locale.ROOT), spec);
        });
        return new TemplateCatalog(templates, withoutProvider, Map.copyOf(formats));
    }

    private static List<String> checkedBody(Path path, String key, List<String> body) {
        List<String> b = body == null ? List.of() : body;
        for (int i = 0; i < b.size(); i++) {
            if (!VARIABLES.contains(b.get(i))) {
                throw YamlFiles.problem(path, key + "[" + i + "]", "unknown variable '"
                        + b.get(i) + "'; known: " + VARIABLES);
            }
        }
        return b;
    }

    /**
     * The template to send for a kind: its variant without the provider when the message has none to name (null or
     * blank), else the template itself.
     */
    public TemplateSpec template(MessageKind kind, String provider) {
        TemplateSpec variant = withoutProvider.get(kind);
        return variant != null && (provider == null || provider.isBlank()) ? variant : templates.get(kind);
    }

    public TemplateSpec template(MessageKind kind) {
        return templates.get(kind);
    }

    /**
     * How dates and times read in {@code locale} (the message's language and the site's country, e.g. en-US, fr-FR):
     * the patterns formats: gives for that language, else CLDR's full date ("Thursday, March 14, 2024", "jeudi
     * 14 mars 2024") and short time ("10:30 AM", "10:30").
     */
    public Formats formats(Locale locale) {
        FormatSpec spec = formats.get(locale.getLanguage());
        if (spec != null) {
            Locale written = spec.locale() == null ? locale : Locale.forLanguageTag(spec.locale());
            return new Formats(DateTimeFormatter.ofPattern(spec.date(), written),
                    DateTimeFormatter.ofPattern(spec.time(), written));
        }
        return new Formats(DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(locale),
                DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale));
    }
}
