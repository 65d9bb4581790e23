package org.careline.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.careline.model.AlertSeverity;
import org.careline.model.Intent;
import org.careline.model.WatchedQueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * mappings/alerts.yaml: the alert rules on abnormal patterns an analyst edits — each with its window, threshold and
 * where it goes (a severity, and optionally channel names of notifications.yaml instead of its routes). A rule
 * type left out of the file keeps its shipped default (see {@link #defaults()}); {@code enabled: false} turns one
 * off. A missing file means every default, so an installation upgraded without the file is watched as a new one.
 */
public record AlertRulesMapping(SendFailureRate sendFailureRate, QueueAge queueAge, SendingPaused sendingPaused,
                                WebhooksStopped webhooksStopped, FeedSilent feedSilent, KeywordRate keywordRate,
                                DeadLetters deadLetters) {

    public static final String FILE = "alerts.yaml";

    /**
     * Whether a rule runs, how loud its alerts are, and where they go.
     *
     * @param channels channel names of notifications.yaml, overriding its routes for this rule's alerts; null: the
     *                 routes of notifications.yaml (by site and severity), as for every other alert
     */
    public record Delivery(boolean enabled, AlertSeverity severity, List<String> channels) {
    }

    /** Failed sends over attempted sends in {@code window}, per site, above {@code percent} with {@code minSends}. */
    public record SendFailureRate(Delivery delivery, Duration window, double percent, int minSends) {
    }

    /** A queue's oldest due item older than its threshold; queues not listed are not watched. */
    public record QueueAge(Delivery delivery, Map<WatchedQueue, Duration> thresholds) {
    }

    /** Sending paused for longer than {@code threshold}. */
    public record SendingPaused(Delivery delivery, Duration threshold) {
    }

    /** No webhook delivery received for {@code window} while at least {@code minSent} messages were sent in it. */
    public record WebhooksStopped(Delivery delivery, Duration window, int minSent) {
    }

    /** One site's watch: silence longer than {@code after} within {@code hours} (the site's zone). */
    public record SiteWatch(Duration after, WorkingHours hours) {
    }

    /**
     * No SIU about a site's appointments for {@code after} within its working hours.
     *
     * @param sites per-site overrides; a site mapped to null is not watched
     */
    public record FeedSilent(Delivery delivery, Duration after, WorkingHours hours, Map<String, SiteWatch> sites) {

        /** The watch of {@code site}: its own when the file gives one, the rule's otherwise; empty when off. */
        public Optional<SiteWatch> forSite(String site) {
            if (sites.containsKey(site)) {
                return Optional.ofNullable(sites.get(site));
            }
            return Optional.of(new SiteWatch(after, hours));
        }
    }

    /** What a keyword_rate watch counts: replies of an intent, items of a triage queue, or messages with a word. */
    public sealed interface Counted permits ByIntent, ByQueue, ByWords {
    }

    /** Patients' messages classified as {@code intent} (inbound_reply.intent). */
    public record ByIntent(Intent intent) implements Counted {
    }

    /** Items landed in the triage queue {@code queue} (staff_handoff.queue). */
    public record ByQueue(String queue) implements Counted {
    }

    /** Patients' messages containing one of {@code words} (whole words, any case), counted as they are classified. */
    public record ByWords(List<String> words) implements Counted {
    }

    /** One watched count, named as in the file. */
    public record Watch(String name, Counted counted) {
    }

    /**
     * A count in the last {@code window} against the same window of the same hour of the week over the last
     * {@code weeks}: raised when it is at least {@code minCount} and at least {@code factor} × the usual mean (the
     * mean, but never below {@code floor}).
     */
    public record KeywordRate(Delivery delivery, Duration window, int weeks, int minCount, double factor,
                              double floor, List<Watch> watches) {

        /** Every word of every words watch, as written (lower case): what classification counts. */
        public List<String> words() {
            List<String> out = new ArrayList<>();
            for (Watch w : watches) {
                if (w.counted() instanceof ByWords b) {
                    b.words().stream().filter(x -> !out.contains(x)).forEach(out::add);
                }
            }
            return out;
        }
    }

    /** More than {@code perHour} dead letters (all queues) in the last hour. */
    public record DeadLetters(Delivery delivery, int perHour) {
    }

    // ---- the file as written -------------------------------------------------------------------------------

    record File(Rules rules) {
    }

    record Rules(@JsonProperty("send_failure_rate") SendFailureEntry sendFailureRate,
                 @JsonProperty("queue_age") QueueAgeEntry queueAge,
                 @JsonProperty("sending_paused") ThresholdEntry sendingPaused,
                 @JsonProperty("webhooks_stopped") WebhooksEntry webhooksStopped,
                 @JsonProperty("feed_silent") FeedEntry feedSilent,
                 @JsonProperty("keyword_rate") KeywordEntry keywordRate,
                 @JsonProperty("dead_letters") DeadLettersEntry deadLetters) {
    }

    record SendFailureEntry(Boolean enabled, String severity, List<String> channels, String window, Double threshold,
                            Integer minSends) {
    }

    record QueueAgeEntry(Boolean enabled, String severity, List<String> channels, Map<String, String> queues) {
    }

    record ThresholdEntry(Boolean enabled, String severity, List<String> channels, String threshold) {
    }

    record WebhooksEntry(Boolean enabled, String severity, List<String> channels, String window, Integer minSent) {
    }

    record FeedEntry(Boolean enabled, String severity, List<String> channels, String after, String hours,
                     Map<String, SiteEntry> sites) {
    }

    record SiteEntry(Boolean enabled, String after, String hours) {
    }

    record KeywordEntry(Boolean enabled, String severity, List<String> channels, String window, Integer weeks,
                        Integer minCount, Double factor, Double floor, Map<String, WatchEntry> watch) {
    }

    record WatchEntry(String intent, String queue, List<String> words) {
    }

    record DeadLettersEntry(Boolean enabled, String severity, List<String> channels, Integer threshold) {
    }

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}' -]{1,100}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,49}");

    /** The shipped defaults (the values of the shipped mappings/alerts.yaml). */
    public static AlertRulesMapping defaults() {
        Map<WatchedQueue, Duration> queues = new EnumMap<>(WatchedQueue.class);
        queues.put(WatchedQueue.OUTBOX, Duration.ofMinutes(15));
        queues.put(WatchedQueue.WRITEBACK, Duration.ofMinutes(30));
        queues.put(WatchedQueue.WEBHOOK, Duration.ofMinutes(10));
        queues.put(WatchedQueue.ALERT, Duration.ofMinutes(30));
        queues.put(WatchedQueue.FHIR, Duration.ofMinutes(30));
        queues.put(WatchedQueue.TRIAGE, Duration.ofDays(1));
        return new AlertRulesMapping(
                new SendFailureRate(on(AlertSeverity.WARNING), Duration.ofMinutes(15), 10, 20),
                new QueueAge(on(AlertSeverity.WARNING), Map.copyOf(queues)),
                new SendingPaused(on(AlertSeverity.CRITICAL), Duration.ZERO),
                new WebhooksStopped(on(AlertSeverity.WARNING), Duration.ofMinutes(30), 10),
                new FeedSilent(on(AlertSeverity.WARNING), Duration.ofMinutes(60), WorkingHours.parse("Mon-Fri 07:00-19:00"),
                        Map.of()),
                new KeywordRate(on(AlertSeverity.WARNING), Duration.ofHours(1), 4, 5, 3, 1,
                        List.of(new Watch("emergency", new ByIntent(Intent.EMERGENCY)),
                                new Watch("pain", new ByWords(List.of("pain", "painful", "hurts", "hurting"))))),
                new DeadLetters(on(AlertSeverity.WARNING), 5));
    }

    private static Delivery on(AlertSeverity severity) {
        return new Delivery(true, severity, null);
    }

    /**
     * Reads and checks the file in {@code dir}: known rule types and keys, durations, sites of sites.yaml
     * ({@code knownSite}), channels of notifications.yaml ({@code channels}; null: not checked, as when that file
     * could not be read), triage queues of triage.yaml ({@code knownQueue}).
     *
     * @throws MappingException naming file, line and key of the first problem
     */
    public static AlertRulesMapping load(Path dir, Predicate<String> knownSite, Set<String> channels,
                                         Predicate<String> knownQueue) {
        Path file = dir.resolve(FILE);
        AlertRulesMapping d = defaults();
        if (!Files.exists(file)) {
            return d;
        }
        File f = YamlFiles.read(file, File.class);
        Rules r = f.rules();
        if (r == null) {
            return d;
        }
        Reader in = new Reader(file, channels);
        return new AlertRulesMapping(
                r.sendFailureRate() == null ? d.sendFailureRate() : in.sendFailureRate(r.sendFailureRate(), d.sendFailureRate()),
                r.queueAge() == null ? d.queueAge() : in.queueAge(r.queueAge(), d.queueAge()),
                r.sendingPaused() == null ? d.sendingPaused() : in.sendingPaused(r.sendingPaused(), d.sendingPaused()),
                r.webhooksStopped() == null ? d.webhooksStopped() : in.webhooks(r.webhooksStopped(), d.webhooksStopped()),
                r.feedSilent() == null ? d.feedSilent() : in.feed(r.feedSilent(), d.feedSilent(), knownSite),
                r.keywordRate() == null ? d.keywordRate() : in.keywords(r.keywordRate(), d.keywordRate(), knownQueue),
                r.deadLetters() == null ? d.deadLetters() : in.deadLetters(r.deadLetters(), d.deadLetters()));
    }

    /** Reads one rule entry after another, each value checked with the key it came from. */
    private record Reader(Path file, Set<String> channels) {

        SendFailureRate sendFailureRate(SendFailureEntry e, SendFailureRate d) {
            String key = "rules.send_failure_rate";
            double percent = e.threshold() == null ? d.percent() : e.threshold();
            if (percent <= 0 || percent > 100) {
                throw YamlFiles.problem(file, key + ".threshold", "a percentage above 0, at most 100");
            }
            return new SendFailureRate(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()),
                    duration(key + ".window", e.window(), d.window(), true), percent,
                    atLeast(key + ".minSends", e.minSends(), d.minSends(), 1));
        }

        QueueAge queueAge(QueueAgeEntry e, QueueAge d) {
            String key = "rules.queue_age";
            Map<WatchedQueue, Duration> thresholds = new EnumMap<>(WatchedQueue.class);
            if (e.queues() == null) {
                thresholds.putAll(d.thresholds());
            } else {
                e.queues().forEach((name, value) -> {
                    WatchedQueue q = WatchedQueue.fromKey(name);
                    if (q == null) {
                        throw YamlFiles.problem(file, key + ".queues." + name, "not a queue; use outbox, writeback, "
                                + "webhook, alert, fhir or triage");
                    }
                    thresholds.put(q, duration(key + ".queues." + name, value, null, true));
                });
            }
            return new QueueAge(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()),
                    Map.copyOf(thresholds));
        }

        SendingPaused sendingPaused(ThresholdEntry e, SendingPaused d) {
            String key = "rules.sending_paused";
            return new SendingPaused(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()),
                    duration(key + ".threshold", e.threshold(), d.threshold(), false));
        }

        WebhooksStopped webhooks(WebhooksEntry e, WebhooksStopped d) {
            String key = "rules.webhooks_stopped";
            return new WebhooksStopped(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()),
                    duration(key + ".window", e.window(), d.window(), true),
                    atLeast(key + ".minSent", e.minSent(), d.minSent(), 1));
        }

        FeedSilent feed(FeedEntry e, FeedSilent d, Predicate<String> knownSite) {
            String key = "rules.feed_silent";
            Duration after = duration(key + ".after", e.after(), d.after(), true);
            WorkingHours hours = hours(key + ".hours", e.hours(), d.hours());
            Map<String, SiteWatch> sites = new LinkedHashMap<>();
            if (e.sites() != null) {
                e.sites().forEach((site, s) -> {
                    String at = key + ".sites." + site;
                    if (!knownSite.test(site)) {
                        throw YamlFiles.problem(file, at, "'" + site + "' is not a site in sites.yaml");
                    }
                    if (s != null && Boolean.FALSE.equals(s.enabled())) {
                        sites.put(site, null);
                    } else {
                        sites.put(site, new SiteWatch(duration(at + ".after", s == null ? null : s.after(), after, true),
                                hours(at + ".hours", s == null ? null : s.hours(), hours)));
                    }
                });
            }
            return new FeedSilent(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()), after, hours,
                    java.util.Collections.unmodifiableMap(sites));
        }

        KeywordRate keywords(KeywordEntry e, KeywordRate d, Predicate<String> knownQueue) {
            String key = "rules.keyword_rate";
            double factor = e.factor() == null ? d.factor() : e.factor();
            if (factor < 1) {
                throw YamlFiles.problem(file, key + ".factor", "at least 1 (how many times the usual rate)");
            }
            double floor = e.floor() == null ? d.floor() : e.floor();
            if (floor < 0) {
                throw YamlFiles.problem(file, key + ".floor", "0 or more");
            }
            List<Watch> watches = new ArrayList<>();
            if (e.watch() == null) {
                watches.addAll(d.watches());
            } else {
                e.watch().forEach((name, w) -> watches.add(watch(key + ".watch." + name, name, w, knownQueue)));
            }
            Duration window = duration(key + ".window", e.window(), d.window(), true);
            if (window.compareTo(Duration.ofDays(1)) > 0) {
                throw YamlFiles.problem(file, key + ".window", "at most 1d (it is compared with the same window of "
                        + "earlier weeks)");
            }
            return new KeywordRate(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()), window,
                    atLeast(key + ".weeks", e.weeks(), d.weeks(), 1),
                    atLeast(key + ".minCount", e.minCount(), d.minCount(), 1), factor, floor, List.copyOf(watches));
        }

        private Watch watch(String key, String name, WatchEntry w, Predicate<String> knownQueue) {
            if (!NAME.matcher(name).matches()) {
                throw YamlFiles.problem(file, key, "a watch's name is letters, digits, '-', '_' or '.', at most 50");
            }
            int given = (w == null ? 0 : (w.intent() != null ? 1 : 0) + (w.queue() != null ? 1 : 0)
                    + (w.words() != null ? 1 : 0));
            if (given != 1) {
                throw YamlFiles.problem(file, key, "give exactly one of intent, queue or words");
            }
            if (w.intent() != null) {
                try {
                    return new Watch(name, new ByIntent(Intent.fromWord(w.intent())));
                } catch (IllegalArgumentException ex) {
                    throw YamlFiles.problem(file, key + ".intent", "'" + w.intent() + "' is not an intent (e.g. "
                            + "emergency, cancel, change, help, stop)");
                }
            }
            if (w.queue() != null) {
                if (!knownQueue.test(w.queue())) {
                    throw YamlFiles.problem(file, key + ".queue", "'" + w.queue() + "' is not a queue of triage.yaml");
                }
                return new Watch(name, new ByQueue(w.queue()));
            }
            if (w.words().isEmpty()) {
                throw YamlFiles.problem(file, key + ".words", "at least one word");
            }
            List<String> words = new ArrayList<>();
            for (int i = 0; i < w.words().size(); i++) {
                String word = w.words().get(i).trim().toLowerCase(Locale.ROOT);
                if (!WORD.matcher(word).matches()) {
                    throw YamlFiles.problem(file, key + ".words[" + i + "]", "a word or phrase of letters, digits, "
                            + "spaces, '-' or ''', at most 100");
                }
                words.add(word);
            }
            return new Watch(name, new ByWords(List.copyOf(words)));
        }

        DeadLetters deadLetters(DeadLettersEntry e, DeadLetters d) {
            String key = "rules.dead_letters";
            return new DeadLetters(delivery(key, e.enabled(), e.severity(), e.channels(), d.delivery()),
                    atLeast(key + ".threshold", e.threshold(), d.perHour(), 0));
        }

        private Delivery delivery(String key, Boolean enabled, String severity, List<String> names, Delivery d) {
            AlertSeverity s = d.severity();
            if (severity != null) {
                s = AlertSeverity.fromDb(severity);
                if (s == null) {
                    throw YamlFiles.problem(file, key + ".severity", "not a severity; use critical, warning or info");
                }
            }
            if (names != null && channels != null) {
                for (int i = 0; i < names.size(); i++) {
                    if (!channels.contains(names.get(i))) {
                        throw YamlFiles.problem(file, key + ".channels[" + i + "]", "'" + names.get(i)
                                + "' is not a channel of notifications.yaml (known: " + channels + ")");
                    }
                }
            }
            return new Delivery(enabled == null ? d.enabled() : enabled, s,
                    names == null ? d.channels() : List.copyOf(new java.util.LinkedHashSet<>(names)));
        }

        private Duration duration(String key, String text, Duration fallback, boolean positive) {
            if (text == null) {
                if (fallback == null) {
                    throw YamlFiles.problem(file, key, "no value given");
                }
                return fallback;
            }
            Duration value;
            try {
                value = DurationText.parse(text);
            } catch (IllegalArgumentException ex) {
                throw YamlFiles.problem(file, key, ex.getMessage());
            }
            if (positive && value.isZero()) {
                throw YamlFiles.problem(file, key, "must be longer than 0");
            }
            return value;
        }

        private WorkingHours hours(String key, String text, WorkingHours fallback) {
            if (text == null) {
                return fallback;
            }
            try {
                return WorkingHours.parse(text);
            } catch (IllegalArgumentException ex) {
                throw YamlFiles.problem(file, key, ex.getMessage());
            }
        }

        private int atLeast(String key, Integer value, int fallback, int min) {
            if (value == null) {
                return fallback;
            }
            if (value < min) {
                throw YamlFiles.problem(file, key, "at least " + min);
            }
            return value;
        }
    }
}
