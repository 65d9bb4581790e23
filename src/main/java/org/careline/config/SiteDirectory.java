package org.careline.config;

import org.careline.model.ConsentMode;
import org.careline.model.Site;
import org.careline.model.ReminderPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** mappings/sites.yaml: the sites, their reminder policies, and which feed identifiers belong to which site. */
public final class SiteDirectory {

    /** The file's shape, as an analyst writes it. */
    record File(String defaultSite, String defaultEmergencyNumber, String defaultLanguage, PolicySpec defaultPolicy,
                Map<String, SiteSpec> sites) {
    }

    record PolicySpec(Boolean confirmation, List<String> reminders, QuietSpec quietHours, String minLeadAfterQuiet) {
    }

    record QuietSpec(String from, String to) {
    }

    record SiteSpec(String name, String address, String phone, String phoneRegion, String emergencyNumber,
                    String zone, Double latitude,
                    Double longitude,
                    List<String> matches, PolicySpec policy, Map<String, PolicySpec> services,
                    String scheduling, FhirSpec fhir, String consent, Boolean demo, String language) {
    }

    record FhirSpec(Boolean patientsMayCancel, Boolean recordMessages) {
    }

    private final Map<String, Site> sites;
    private final Site defaultSite;

    private SiteDirectory(Map<String, Site> sites, Site defaultSite) {
        this.sites = sites;
        this.defaultSite = defaultSite;
    }

    /**
     * @param defaultZone   CARELINE_TIMEZONE, for sites whose zone is "default"
     * @param defaultRegion CARELINE_PHONE_REGION, for sites that name no phoneRegion
     */
    public static SiteDirectory load(Path dir, ZoneId defaultZone, String defaultRegion) {
        Path path = dir.resolve("sites.yaml");
        File f = YamlFiles.read(path, File.class);
        if (f.sites() == null || f.sites().isEmpty()) {
            throw YamlFiles.problem(path, "sites", "at least one site is required");
        }
        String defaultLanguage = language(f.defaultLanguage(), path, "defaultLanguage");
        ReminderPolicy base = merge(ReminderPolicy.defaults(), f.defaultPolicy(), path, "defaultPolicy");
        Map<String, Site> sites = new LinkedHashMap<>();
        f.sites().forEach((code, s) -> {
            String key = "sites." + code;
            if (s.name() == null || s.name().isBlank()) {
                throw YamlFiles.problem(path, key + ".name", "missing");
            }
            ZoneId zone;
            try {
                zone = s.zone() == null || s.zone().equals("default") ? defaultZone : ZoneId.of(s.zone());
            } catch (RuntimeException e) {
                throw YamlFiles.problem(path, key + ".zone", "'" + s.zone() + "' is not a time zone");
            }
            if ((s.latitude() == null) != (s.longitude() == null)) {
                throw YamlFiles.problem(path, key, "latitude and longitude go together");
            }
            String region = s.phoneRegion() == null ? defaultRegion : s.phoneRegion().trim().toUpperCase(Locale.ROOT);
            if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
                throw YamlFiles.problem(path, key + ".phoneRegion", "'" + region
                        + "' is not an ISO 3166 region libphonenumber knows");
            }
            ReminderPolicy policy = merge(base, s.policy(), path, key + ".policy");
            Map<String, ReminderPolicy> services = new LinkedHashMap<>();
            if (s.services() != null) {
                s.services().forEach((svc, spec) ->
                        services.put(svc, merge(policy, spec, path, key + ".services." + svc)));
            }
            String emergency = s.emergencyNumber() != null ? s.emergencyNumber()
                    : f.defaultEmergencyNumber() != null ? f.defaultEmergencyNumber() : "911";
            sites.put(code, new Site(code, s.name(), s.address(), s.phone(), region, emergency, zone, s.latitude(),
                    s.longitude(),
                    s.matches() == null ? List.of() : List.copyOf(s.matches()), policy, services,
                    scheduling(s.scheduling(), path, key + ".scheduling"), fhir(s.fhir()),
                    consent(s.consent(), path, key + ".consent"), Boolean.TRUE.equals(s.demo()),
                    s.language() == null ? defaultLanguage : language(s.language(), path, key + ".language")));
        });
        String def = f.defaultSite() == null ? sites.keySet().iterator().next() : f.defaultSite();
        Site defaultSite = sites.get(def);
        if (defaultSite == null) {
            throw YamlFiles.problem(path, "defaultSite", "no site named '" + def + "'");
        }
        return new SiteDirectory(sites, defaultSite);
    }

    /** An ISO 639-1 code the JDK knows ("fr"), lowercase; null when left out. */
    private static String language(String text, Path path, String key) {
        if (text == null) {
            return null;
        }
        String code = text.trim().toLowerCase(Locale.ROOT);
        if (code.length() != 2 || !java.util.Arrays.asList(Locale.getISOLanguages()).contains(code)) {
            throw YamlFiles.problem(path, key, "'" + text + "' is not a two-letter ISO 639-1 language (en, fr, es ...)");
        }
        return code;
    }

    private static Site.Scheduling scheduling(String text, Path path, String key) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "hl7" -> Site.Scheduling.HL7;
            case "fhir" -> Site.Scheduling.FHIR;
            default -> throw YamlFiles.problem(path, key, "'" + text + "' is not hl7 or fhir");
        };
    }

    /** opt-out when left out: a site written before consent modes existed keeps messaging as it did. */
    private static ConsentMode consent(String text, Path path, String key) {
        if (text == null) {
            return ConsentMode.OPT_OUT;
        }
        ConsentMode mode = ConsentMode.fromWord(text);
        if (mode == null) {
            throw YamlFiles.problem(path, key, "'" + text + "' is not opt-out or opt-in");
        }
        return mode;
    }

    private static Site.FhirWriteback fhir(FhirSpec spec) {
        if (spec == null) {
            return Site.FhirWriteback.DEFAULT;
        }
        return new Site.FhirWriteback(Boolean.TRUE.equals(spec.patientsMayCancel()),
                Boolean.TRUE.equals(spec.recordMessages()));
    }

    private static ReminderPolicy merge(ReminderPolicy base, PolicySpec spec, Path path, String key) {
        if (spec == null) {
            return base;
        }
        boolean confirmation = spec.confirmation() == null ? base.confirmation() : spec.confirmation();
        List<Duration> offsets = base.reminderOffsets();
        if (spec.reminders() != null) {
            offsets = new ArrayList<>();
            for (int i = 0; i < spec.reminders().size(); i++) {
                offsets.add(duration(spec.reminders().get(i), path, key + ".reminders[" + i + "]"));
            }
        }
        LocalTime from = base.quietStart();
        LocalTime to = base.quietEnd();
        if (spec.quietHours() != null) {
            from = time(spec.quietHours().from(), path, key + ".quietHours.from");
            to = time(spec.quietHours().to(), path, key + ".quietHours.to");
        }
        Duration lead = spec.minLeadAfterQuiet() == null ? base.minLeadAfterQuiet()
                : duration(spec.minLeadAfterQuiet(), path, key + ".minLeadAfterQuiet");
        return new ReminderPolicy(confirmation, List.copyOf(offsets), from, to, lead);
    }

    private static Duration duration(String text, Path path, String key) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw YamlFiles.problem(path, key, e.getMessage());
        }
    }

    private static LocalTime time(String text, Path path, String key) {
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw YamlFiles.problem(path, key, "'" + text + "' is not a time like 21:00");
        }
    }

    /** The first site one of whose identifiers matches, in the order the identifiers are given; else the default. */
    public Site resolve(List<String> identifiers) {
        for (String id : identifiers) {
            if (id == null || id.isBlank()) {
                continue;
            }
            String wanted = id.trim().toLowerCase(Locale.ROOT);
            for (Site site : sites.values()) {
                for (String m : site.matches()) {
                    if (m.trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                        return site;
                    }
                }
            }
        }
        return defaultSite;
    }

    public Optional<Site> byCode(String code) {
        return Optional.ofNullable(code == null ? null : sites.get(code));
    }

    public Site site(String code) {
        return byCode(code).orElse(defaultSite);
    }

    /** Whether any site asks for something only a FHIR server can take (write-back over FHIR, recorded messages). */
    public boolean usesFhirWriteback() {
        return sites.values().stream().anyMatch(s -> s.scheduling() == Site.Scheduling.FHIR
                || !s.fhir().equals(Site.FhirWriteback.DEFAULT));
    }

    /** Every site's code, in the file's order. */
    public java.util.List<String> codes() {
        return java.util.List.copyOf(sites.keySet());
    }

    /** The codes of the sites marked {@code demo: true}, in the file's order. */
    public List<String> demoSites() {
        return sites.values().stream().filter(Site::demo).map(Site::code).toList();
    }

    public Site defaultSite() {
        return defaultSite;
    }
}
