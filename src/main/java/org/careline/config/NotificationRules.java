package org.careline.config;

import org.careline.model.AlertSeverity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * mappings/notifications.yaml: the notification channels alerts go to (webhooks and e-mail) and which channels
 * hear of which alerts, per site and severity. Secrets are never in the file: a webhook names the environment
 * variable that holds its signing secret ({@code secretEnv}), read here from the same environment as the settings.
 * A missing file means no channels, as does the shipped default: alerts then only show in the console.
 *
 * @param channels by name, in file order
 * @param routes   site code (or {@code default}) → severity → channel names
 */
public record NotificationRules(Map<String, Channel> channels, Map<String, Map<AlertSeverity, List<String>>> routes) {

    public static final String FILE = "notifications.yaml";
    /** The routes that apply to alerts of no site, and to sites (or severities of a site) not listed. */
    public static final String DEFAULT_ROUTE = "default";

    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final Pattern MAIL = Pattern.compile("[^@\\s,<>]+@[^@\\s,<>]+");

    /** A place alerts are told. */
    public sealed interface Channel permits Webhook, Email {
        String name();
    }

    /**
     * A JSON POST to {@code url}, signed with HMAC-SHA256 under the value of the environment variable
     * {@code secretEnv} (held in {@code secret}; never printed).
     */
    public record Webhook(String name, String url, String secretEnv, String secret) implements Channel {
        @Override
        public String toString() {
            return "Webhook[" + name + " " + url + " secretEnv=" + secretEnv + "]";
        }
    }

    /** A plain-text e-mail to {@code to}, through the SMTP server of CARELINE_SMTP_*. */
    public record Email(String name, List<String> to) implements Channel {
    }

    /** The file's shape, as written. */
    record File(Map<String, ChannelEntry> channels, Map<String, Map<String, List<String>>> routes) {
    }

    record ChannelEntry(String type, String url, String secretEnv, List<String> to) {
    }

    public static NotificationRules none() {
        return new NotificationRules(Map.of(), Map.of());
    }

    /**
     * Reads and checks the file in {@code dir}: every channel complete, every route naming a known channel, a
     * known severity and a site of sites.yaml ({@code knownSite}), every secretEnv set in {@code env}.
     *
     * @throws MappingException naming file, line and key of the first problem
     */
    public static NotificationRules load(Path dir, Function<String, String> env, Predicate<String> knownSite) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return none();
        }
        File f = YamlFiles.read(file, File.class);
        Map<String, Channel> channels = new LinkedHashMap<>();
        if (f.channels() != null) {
            f.channels().forEach((name, entry) -> channels.put(name, channel(file, name, entry, env)));
        }
        Map<String, Map<AlertSeverity, List<String>>> routes = new LinkedHashMap<>();
        if (f.routes() != null) {
            f.routes().forEach((site, bySeverity) -> {
                String key = "routes." + site;
                if (!site.equals(DEFAULT_ROUTE) && !knownSite.test(site)) {
                    throw YamlFiles.problem(file, key, "'" + site + "' is not a site in sites.yaml (nor '"
                            + DEFAULT_ROUTE + "')");
                }
                Map<AlertSeverity, List<String>> lists = new LinkedHashMap<>();
                if (bySeverity != null) {
                    bySeverity.forEach((severityName, names) -> {
                        AlertSeverity severity = AlertSeverity.fromDb(severityName);
                        if (severity == null) {
                            throw YamlFiles.problem(file, key + "." + severityName,
                                    "not a severity; use critical, warning or info");
                        }
                        List<String> list = names == null ? List.of() : names;
                        for (int i = 0; i < list.size(); i++) {
                            if (!channels.containsKey(list.get(i))) {
                                throw YamlFiles.problem(file, key + "." + severityName + "[" + i + "]",
                                        "'" + list.get(i) + "' is not a channel of 'channels' (known: "
                                                + channels.keySet() + ")");
                            }
                        }
                        lists.put(severity, List.copyOf(new LinkedHashSet<>(list)));
                    });
                }
                routes.put(site, lists);
            });
        }
        return new NotificationRules(channels, routes);
    }

    private static Channel channel(Path file, String name, ChannelEntry e, Function<String, String> env) {
        String key = "channels." + name;
        if (!CHANNEL_NAME.matcher(name).matches()) {
            throw YamlFiles.problem(file, key, "a channel name is letters, digits, '-', '_' or '.', at most 100");
        }
        if (e == null || e.type() == null) {
            throw YamlFiles.problem(file, key + ".type", "missing; use webhook or email");
        }
        switch (e.type()) {
            case "webhook" -> {
                if (e.to() != null) {
                    throw YamlFiles.problem(file, key + ".to", "a webhook has no 'to' (that is for type: email)");
                }
                if (e.url() == null || !URL.matcher(e.url()).matches()) {
                    throw YamlFiles.problem(file, key + ".url", "must be an http(s) URL, got '" + e.url() + "'");
                }
                if (e.secretEnv() == null || !ENV_NAME.matcher(e.secretEnv()).matches()) {
                    throw YamlFiles.problem(file, key + ".secretEnv", "must name the environment variable that holds "
                            + "the signing secret (e.g. CARELINE_ALERT_WEBHOOK_SECRET); the secret itself never goes "
                            + "in this file");
                }
                String secret = env.apply(e.secretEnv());
                if (secret == null || secret.isEmpty()) {
                    throw YamlFiles.problem(file, key + ".secretEnv", "names " + e.secretEnv() + ", which is not set "
                            + "in the environment: set it to the receiver's shared secret, or remove the channel");
                }
                return new Webhook(name, e.url(), e.secretEnv(), secret);
            }
            case "email" -> {
                if (e.url() != null || e.secretEnv() != null) {
                    throw YamlFiles.problem(file, key + "." + (e.url() != null ? "url" : "secretEnv"),
                            "an e-mail channel has only 'to' (the SMTP server comes from CARELINE_SMTP_*)");
                }
                if (e.to() == null || e.to().isEmpty()) {
                    throw YamlFiles.problem(file, key + ".to", "at least one address is required");
                }
                List<String> to = new ArrayList<>();
                for (int i = 0; i < e.to().size(); i++) {
                    String address = e.to().get(i).trim();
                    if (!MAIL.matcher(address).matches()) {
                        throw YamlFiles.problem(file, key + ".to[" + i + "]", "not an e-mail address: '"
                                + address + "'");
                    }
                    to.add(address);
                }
                return new Email(name, List.copyOf(to));
            }
            default -> throw YamlFiles.problem(file, key + ".type", "'" + e.type()
                    + "' is not a channel type; use webhook or email");
        }
    }

    /**
     * The channels an alert of {@code site} (null: none) and {@code severity} goes to: the site's list for that
     * severity when the file gives one (an empty list: none for that site), else the default route's.
     */
    public List<String> channelsFor(String site, AlertSeverity severity) {
        Map<AlertSeverity, List<String>> bySite = site == null ? null : routes.get(site);
        if (bySite != null && bySite.containsKey(severity)) {
            return bySite.get(severity);
        }
        Map<AlertSeverity, List<String>> defaults = routes.get(DEFAULT_ROUTE);
        return defaults == null ? List.of() : defaults.getOrDefault(severity, List.of());
    }
}
