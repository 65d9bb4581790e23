package org.careline.config;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * mappings/reports.yaml: what the monthly KPI report needs per site beyond sites.yaml — the cost of one appointment
 * slot (for the estimate of what reminders saved) in a currency, and the e-mail channels of notifications.yaml the
 * report is sent to. A site not listed, and a key a site leaves out, take the {@code default} entry's value. A
 * missing file means no cost (0), USD, and no channel: reports are kept for download only.
 *
 * @param defaults the {@code default} entry
 * @param sites    site code → its settings, every key filled (defaults applied)
 */
public record ReportsMapping(SiteReport defaults, Map<String, SiteReport> sites) {

    public static final String FILE = "reports.yaml";
    /** A slot costs less than this; more is a slip of the keyboard (cents written as units, an extra zero). */
    private static final BigDecimal MAX_COST = new BigDecimal("1000000");

    /**
     * @param costPerSlot what one appointment slot is worth, ≥ 0 (0: not set)
     * @param currency    ISO 4217 code (USD, EUR, GBP)
     * @param channels    e-mail channels of notifications.yaml the report goes to; empty: none
     */
    public record SiteReport(BigDecimal costPerSlot, String currency, List<String> channels) {
        public SiteReport {
            channels = List.copyOf(channels);
        }
    }

    /** The file's shape, as written ("default" is a Java keyword, hence the name). */
    record File(@com.fasterxml.jackson.annotation.JsonProperty("default") Entry defaults, Map<String, Entry> sites) {
    }

    record Entry(BigDecimal costPerSlot, String currency, List<String> channels) {
    }

    public ReportsMapping {
        sites = Map.copyOf(sites);
    }

    public static ReportsMapping none() {
        return new ReportsMapping(new SiteReport(BigDecimal.ZERO, "USD", List.of()), Map.of());
    }

    /** The settings of site {@code code}: its own entry, else the default. */
    public SiteReport forSite(String code) {
        return sites.getOrDefault(code, defaults);
    }

    /**
     * Reads and checks the file in {@code dir}: every site a site of sites.yaml ({@code knownSite}), every cost a
     * number from 0, every currency an ISO 4217 code, every channel an e-mail channel of {@code notifications}.
     *
     * @throws MappingException naming file, line and key of the first problem
     */
    public static ReportsMapping load(Path dir, Predicate<String> knownSite, NotificationRules notifications) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return none();
        }
        File f = YamlFiles.read(file, File.class);
        SiteReport base = none().defaults();
        if (f.defaults() != null) {
            base = merge(file, "default", base, f.defaults(), notifications);
        }
        Map<String, SiteReport> sites = new LinkedHashMap<>();
        if (f.sites() != null) {
            for (Map.Entry<String, Entry> e : f.sites().entrySet()) {
                if (!knownSite.test(e.getKey())) {
                    throw YamlFiles.problem(file, "sites." + e.getKey(), "'" + e.getKey()
                            + "' is not a site in sites.yaml");
                }
                sites.put(e.getKey(), merge(file, "sites." + e.getKey(), base, e.getValue(), notifications));
            }
        }
        return new ReportsMapping(base, sites);
    }

    private static SiteReport merge(Path file, String key, SiteReport base, Entry e, NotificationRules notifications) {
        if (e == null) {
            return base;
        }
        BigDecimal cost = base.costPerSlot();
        if (e.costPerSlot() != null) {
            if (e.costPerSlot().signum() < 0 || e.costPerSlot().compareTo(MAX_COST) >= 0) {
                throw YamlFiles.problem(file, key + ".costPerSlot", "must be from 0 to less than " + MAX_COST
                        + ", got " + e.costPerSlot().toPlainString());
            }
            cost = e.costPerSlot();
        }
        String currency = base.currency();
        if (e.currency() != null) {
            try {
                currency = Currency.getInstance(e.currency().trim()).getCurrencyCode();
            } catch (IllegalArgumentException bad) {
                throw YamlFiles.problem(file, key + ".currency", "'" + e.currency()
                        + "' is not an ISO 4217 currency code (e.g. USD, EUR, GBP)");
            }
        }
        List<String> channels = base.channels();
        if (e.channels() != null) {
            for (int i = 0; i < e.channels().size(); i++) {
                String name = e.channels().get(i);
                NotificationRules.Channel c = notifications.channels().get(name);
                if (c == null) {
                    throw YamlFiles.problem(file, key + ".channels[" + i + "]", "'" + name
                            + "' is not a channel of " + NotificationRules.FILE + " (known: "
                            + notifications.channels().keySet() + ")");
                }
                if (!(c instanceof NotificationRules.Email)) {
                    throw YamlFiles.problem(file, key + ".channels[" + i + "]", "'" + name
                            + "' is not an e-mail channel: reports go by e-mail only (type: email)");
                }
            }
            channels = List.copyOf(new LinkedHashSet<>(e.channels()));
        }
        return new SiteReport(cost, currency, channels);
    }
}
