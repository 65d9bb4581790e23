package org.careline.config;

import org.careline.model.MessageKind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * mappings/triage.yaml: the queues a patient's message that needs a person lands in, each with its SLA, keywords,
 * menu digit and acknowledgement per language; when an unclaimed emergency escalates; which follow-up template staff
 * may send outside the 24-hour window; and what differs per site.
 *
 * @param queues in the file's order, which is the order keywords are tried in
 * @param sites  per site code, what differs there
 */
public record TriageRules(String defaultLanguage, Duration escalateAfter, String followUpTemplate,
                          Map<String, Queue> queues, Map<String, SiteRules> sites) {

    public static final String EMERGENCY = "emergency";
    public static final String NURSE = "nurse";
    public static final String SCHEDULING = "scheduling";
    /** The followUpTemplate that offers none. */
    public static final String NO_FOLLOW_UP = "none";
    /** The one template followUpTemplate may name today: templates.yaml's follow_up. */
    public static final String FOLLOW_UP = MessageKind.FOLLOW_UP.key();
    public static final Duration DEFAULT_ESCALATE_AFTER = Duration.ofMinutes(10);

    /** Queue names fit staff_handoff.queue (VARCHAR(40)) and read well in URLs and alerts. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    /**
     * One queue.
     *
     * @param menu            a text that is only this digit lands here, or null
     * @param keywords        per language, words or phrases (as written) that send a message here
     * @param acknowledgement per language, the patient's automatic answer when a keyword or the menu digit sent the
     *                        message here (empty for emergency)
     */
    public record Queue(String name, Duration sla, String menu, Map<String, List<String>> keywords,
                        Map<String, String> acknowledgement) {
    }

    /**
     * What differs at one site; null fields keep the file's value.
     *
     * @param slas     per queue, another SLA
     * @param disabled queues not used at this site
     */
    public record SiteRules(Duration escalateAfter, String followUpTemplate, Map<String, Duration> slas,
                            Set<String> disabled) {
    }

    record File(String defaultLanguage, String escalateAfter, String followUpTemplate,
                LinkedHashMap<String, QueueEntry> queues, LinkedHashMap<String, SiteEntry> sites) {
    }

    record QueueEntry(String sla, String menu, LinkedHashMap<String, List<String>> keywords,
                      Map<String, String> acknowledgement) {
    }

    record SiteEntry(String escalateAfter, String followUpTemplate, LinkedHashMap<String, SiteQueueEntry> queues) {
    }

    record SiteQueueEntry(String sla, Boolean enabled) {
    }

    public static TriageRules load(Path dir) {
        Path file = dir.resolve("triage.yaml");
        File f = YamlFiles.read(file, File.class);
        if (f.defaultLanguage() == null || f.defaultLanguage().isBlank()) {
            throw YamlFiles.problem(file, "defaultLanguage", "missing (the language of acknowledgements used when "
                    + "the patient's has none, e.g. en)");
        }
        String defaultLanguage = f.defaultLanguage().trim().toLowerCase(Locale.ROOT);
        Duration escalateAfter = f.escalateAfter() == null ? DEFAULT_ESCALATE_AFTER
                : duration(file, "escalateAfter", f.escalateAfter());
        String followUp = followUp(file, "followUpTemplate", f.followUpTemplate());
        if (f.queues() == null || f.queues().isEmpty()) {
            throw YamlFiles.problem(file, "queues", "at least the queues " + List.of(EMERGENCY, NURSE, SCHEDULING)
                    + " are required");
        }
        Map<String, Queue> queues = new LinkedHashMap<>();
        Map<String, String> menus = new LinkedHashMap<>();
        f.queues().forEach((name, q) -> {
            String key = "queues." + name;
            if (!QUEUE_NAME.matcher(name).matches()) {
                throw YamlFiles.problem(file, key, "a queue name is lower-case letters, digits, - and _ (at most 40)");
            }
            if (q == null || q.sla() == null) {
                throw YamlFiles.problem(file, key + ".sla", "missing (how soon an item must be answered, e.g. 2h)");
            }
            Duration sla = duration(file, key + ".sla", q.sla());
            Map<String, List<String>> keywords = q.keywords() == null ? Map.of() : q.keywords();
            Map<String, String> acks = q.acknowledgement() == null ? Map.of() : q.acknowledgement();
            if (name.equals(EMERGENCY)) {
                if (!keywords.isEmpty() || q.menu() != null) {
                    throw YamlFiles.problem(file, key + (keywords.isEmpty() ? ".menu" : ".keywords"),
                            "emergency takes no keywords or menu digit: its phrases are replies.yaml's emergency "
                                    + "lists, which always win");
                }
                if (!acks.isEmpty()) {
                    throw YamlFiles.problem(file, key + ".acknowledgement", "not used: an emergency is answered "
                            + "with replies.yaml's emergency text");
                }
            } else {
                String ack = acks.get(defaultLanguage);
                if (ack == null || ack.isBlank()) {
                    throw YamlFiles.problem(file, key + ".acknowledgement." + defaultLanguage,
                            "missing (every queue but emergency needs an acknowledgement in defaultLanguage)");
                }
            }
            String menu = null;
            if (q.menu() != null) {
                menu = q.menu().trim();
                if (!menu.matches("\\d{1,2}")) {
                    throw YamlFiles.problem(file, key + ".menu", "'" + q.menu() + "' is not a menu digit");
                }
                String other = menus.putIfAbsent(menu, name);
                if (other != null) {
                    throw YamlFiles.problem(file, key + ".menu", "'" + menu + "' is already queue " + other + "'s");
                }
            }
            keywords.forEach((lang, words) -> {
                for (int i = 0; i < words.size(); i++) {
                    if (words.get(i).isBlank()) {
                        throw YamlFiles.problem(file, key + ".keywords." + lang + "[" + i + "]", "empty keyword");
                    }
                }
            });
            Map<String, String> normalisedAcks = new LinkedHashMap<>();
            acks.forEach((lang, text) -> normalisedAcks.put(lang.toLowerCase(Locale.ROOT), text));
            queues.put(name, new Queue(name, sla, menu, Map.copyOf(keywords), Map.copyOf(normalisedAcks)));
        });
        for (String required : List.of(EMERGENCY, NURSE, SCHEDULING)) {
            if (!queues.containsKey(required)) {
                throw YamlFiles.problem(file, "queues." + required, "missing (emergency, nurse and scheduling are "
                        + "required: replies the engine understands land there)");
            }
        }
        Map<String, SiteRules> sites = new LinkedHashMap<>();
        if (f.sites() != null) {
            f.sites().forEach((code, s) -> {
                String key = "sites." + code;
                if (s == null) {
                    throw YamlFiles.problem(file, key, "no value given");
                }
                Map<String, Duration> slas = new LinkedHashMap<>();
                Set<String> disabled = new LinkedHashSet<>();
                if (s.queues() != null) {
                    s.queues().forEach((queue, sq) -> {
                        String qkey = key + ".queues." + queue;
                        if (!queues.containsKey(queue)) {
                            throw YamlFiles.problem(file, qkey, "not a queue; known: " + queues.keySet());
                        }
                        if (sq == null) {
                            throw YamlFiles.problem(file, qkey, "no value given");
                        }
                        if (sq.sla() != null) {
                            slas.put(queue, duration(file, qkey + ".sla", sq.sla()));
                        }
                        if (Boolean.FALSE.equals(sq.enabled())) {
                            if (queue.equals(EMERGENCY) || queue.equals(NURSE)) {
                                throw YamlFiles.problem(file, qkey + ".enabled", queue + " cannot be switched off: "
                                        + "it is where " + (queue.equals(EMERGENCY) ? "emergencies" : "everything else")
                                        + " must land");
                            }
                            disabled.add(queue);
                        }
                    });
                }
                sites.put(code, new SiteRules(
                        s.escalateAfter() == null ? null : duration(file, key + ".escalateAfter", s.escalateAfter()),
                        s.followUpTemplate() == null ? null : followUp(file, key + ".followUpTemplate",
                                s.followUpTemplate()),
                        Map.copyOf(slas), Set.copyOf(disabled)));
            });
        }
        return new TriageRules(defaultLanguage, escalateAfter, followUp, queues, sites);
    }

    /**
     * What triage.yaml says of other files: menu digits that replies.yaml already uses, site codes sites.yaml does
     * not know, a follow-up template templates.yaml does not declare. Called by the engine and by validate.
     */
    public void checkAgainst(Path dir, ReplyRules replies, SiteDirectory siteDirectory, TemplateCatalog templates) {
        Path file = dir.resolve("triage.yaml");
        queues.values().forEach(q -> {
            if (q.menu() != null && replies.menu().containsKey(q.menu())) {
                throw YamlFiles.problem(file, "queues." + q.name() + ".menu", "'" + q.menu()
                        + "' is already replies.yaml's menu choice '" + replies.menu().get(q.menu()) + "'");
            }
        });
        sites.forEach((code, s) -> {
            if (siteDirectory.byCode(code).isEmpty()) {
                throw YamlFiles.problem(file, "sites." + code, "not a site of sites.yaml; known: "
                        + siteDirectory.codes());
            }
        });
        if (templates.template(MessageKind.FOLLOW_UP) == null) {
            if (FOLLOW_UP.equals(followUpTemplate)) {
                throw YamlFiles.problem(file, "followUpTemplate", "follow_up, but templates.yaml has no "
                        + "'templates.follow_up'");
            }
            sites.forEach((code, s) -> {
                if (FOLLOW_UP.equals(s.followUpTemplate())) {
                    throw YamlFiles.problem(file, "sites." + code + ".followUpTemplate", "follow_up, but "
                            + "templates.yaml has no 'templates.follow_up'");
                }
            });
        }
    }

    private static Duration duration(Path file, String key, String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw YamlFiles.problem(file, key, e.getMessage());
        }
    }

    private static String followUp(Path file, String key, String value) {
        if (value == null) {
            return NO_FOLLOW_UP;
        }
        String v = value.trim();
        if (!v.equals(FOLLOW_UP) && !v.equals(NO_FOLLOW_UP)) {
            throw YamlFiles.problem(file, key, "'" + value + "' is neither " + FOLLOW_UP + " (templates.yaml's "
                    + "follow_up) nor " + NO_FOLLOW_UP);
        }
        return v;
    }

    private SiteRules siteRules(String site) {
        return site == null ? null : sites.get(site);
    }

    /** Whether {@code queue} exists and is used at {@code site}. */
    public boolean enabled(String site, String queue) {
        SiteRules s = siteRules(site);
        return queues.containsKey(queue) && (s == null || !s.disabled().contains(queue));
    }

    /** The queues used at {@code site}, in the file's order. */
    public List<String> queuesAt(String site) {
        return queues.keySet().stream().filter(q -> enabled(site, q)).toList();
    }

    /** How soon an item of {@code queue} must be answered at {@code site}. */
    public Duration sla(String site, String queue) {
        SiteRules s = siteRules(site);
        if (s != null && s.slas().containsKey(queue)) {
            return s.slas().get(queue);
        }
        Queue q = queues.get(queue);
        return q == null ? queues.get(NURSE).sla() : q.sla();
    }

    /** How long an emergency at {@code site} may stay unclaimed before it escalates. */
    public Duration escalateAfter(String site) {
        SiteRules s = siteRules(site);
        return s != null && s.escalateAfter() != null ? s.escalateAfter() : escalateAfter;
    }

    /** Whether staff at {@code site} may send templates.yaml's follow_up outside the 24-hour window. */
    public boolean offersFollowUp(String site) {
        SiteRules s = siteRules(site);
        String choice = s != null && s.followUpTemplate() != null ? s.followUpTemplate() : followUpTemplate;
        return FOLLOW_UP.equals(choice);
    }

    /** The queue's acknowledgement in {@code language}, else in the default language. */
    public String acknowledgement(String queue, String language) {
        Queue q = queues.get(queue);
        String text = language == null ? null : q.acknowledgement().get(language.toLowerCase(Locale.ROOT));
        return text != null ? text : q.acknowledgement().get(defaultLanguage);
    }
}
