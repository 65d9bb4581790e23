package org.careline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.careline.config.MappingException;
import org.careline.config.NotificationRules;
import org.careline.config.RetentionMapping;
import org.careline.config.SettingValues;
import org.careline.config.SettingsCatalog;
import org.careline.config.SiteDirectory;
import org.careline.config.UrlCredentials;
import org.careline.model.DataClass;
import org.careline.model.RetentionRules;
import org.careline.model.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code careline register}: the record of processing (GDPR article 30) as this installation is configured — what is
 * processed, why, about whom, where it goes and for how long, and each site's consent mode. Read from the environment
 * and mappings/ only (no database, no port); secrets and credentials are never printed.
 */
@Command(name = "register", description = "Print the processing register (GDPR article 30) from the live "
        + "configuration: data categories, purposes, data subjects, recipients, retention, consent mode per site.")
final class RegisterCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--format", description = "text (default) or json.", defaultValue = "text")
    private String format;

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    RegisterCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The register. Record components are the JSON fields of --format json. */
    record Register(String controller, List<Entry> processing, List<Recipient> recipients, List<Retention> retention,
                    List<SiteConsent> consent) {
    }

    /** One processing activity: what data, why, about whom. */
    record Entry(String activity, String purpose, String subjects, List<String> data) {
    }

    /** Where data goes: who, what for, where (host or URL without credentials). */
    record Recipient(String recipient, String purpose, String where) {
    }

    record Retention(String dataClass, String keptFor) {
    }

    record SiteConsent(String site, String name, String mode) {
    }

    @Override
    public Integer call() throws Exception {
        SettingValues settings = SettingValues.read(env);
        PrintWriter err = spec.commandLine().getErr();
        if (!settings.problems().isEmpty()) {
            settings.problems().forEach(p -> err.println("careline: " + p));
            err.flush();
            return 2;
        }
        Register register;
        try {
            register = build(settings);
        } catch (MappingException e) {
            err.println("careline: " + e.getMessage());
            err.flush();
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        if ("json".equalsIgnoreCase(format)) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(json.writeValueAsString(register));
        } else if ("text".equalsIgnoreCase(format)) {
            out.print(text(register));
        } else {
            err.println("careline: --format must be text or json");
            err.flush();
            return 2;
        }
        out.flush();
        return 0;
    }

    Register build(SettingValues s) {
        Path mappings = s.get(SettingsCatalog.MAPPINGS_DIR);
        SiteDirectory sites = SiteDirectory.load(mappings, s.get(SettingsCatalog.TIMEZONE),
                s.get(SettingsCatalog.PHONE_REGION));
        NotificationRules alerts = Files.exists(mappings.resolve(NotificationRules.FILE))
                ? NotificationRules.load(mappings, env::get, code -> sites.byCode(code).isPresent())
                : NotificationRules.none();

        List<Entry> processing = List.of(
                new Entry("appointment messages", "remind patients of appointments and tell them of changes "
                        + "(confirmation, reminders, rescheduled, cancelled)", "patients",
                        List.of("patient identifiers (MRN and assigning authority)", "names", "mobile phone numbers",
                                "preferred language", "appointment time, place, provider, service and instructions")),
                new Entry("patients' replies", "take patients' answers (confirm, change, cancel) to the scheduling "
                        + "system and hand questions to staff", "patients",
                        List.of("messages patients write (may hold health information)", "WhatsApp delivery statuses")),
                new Entry("results and documents notices", "tell patients a result or document is ready in the portal "
                        + "(no clinical content in the message)", "patients",
                        List.of("patient identifiers", "order and document identifiers", "portal links")),
                new Entry("consent", "record who may be messaged (opt-in sites, protection indicator, STOP)",
                        "patients", List.of("consent state and its history with source and time")),
                new Entry("staff work and audit", "let staff triage conversations; keep a trail of who did what",
                        "staff", List.of("user names, roles, sign-in times", "staff notes and answers",
                                "audit trail (ids only)")),
                new Entry("raw inbound messages", "answer resends and let analysts replay failed messages",
                        "patients", List.of("HL7 and FHIR messages as received", "WhatsApp webhook bodies")));

        List<Recipient> recipients = new ArrayList<>();
        String token = s.get(SettingsCatalog.WHATSAPP_ACCESS_TOKEN);
        String api = s.get(SettingsCatalog.WHATSAPP_API_BASE);
        String phoneNumberId = s.get(SettingsCatalog.WHATSAPP_PHONE_NUMBER_ID);
        recipients.add(token == null || token.isEmpty()
                ? new Recipient("none (built-in Cloud API sandbox: WHATSAPP_ACCESS_TOKEN unset)",
                        "message delivery", "in-process")
                : new Recipient("Meta Platforms (WhatsApp Cloud API), processor", "message delivery to patients; "
                        + "patients' replies and delivery statuses back", host(api) + ", phone number id "
                        + phoneNumberId));
        recipients.add(new Recipient("results portal", "patients open the results or document a notice links to",
                UrlCredentials.mask(withoutQuery(s.get(SettingsCatalog.PORTAL_URL)))));
        SettingsCatalog.HostPort mllp = s.get(SettingsCatalog.SCHEDULING_MLLP);
        if (mllp != null) {
            recipients.add(new Recipient("scheduling system (HL7 v2 over MLLP)", "patients' answers (SRM)",
                    mllp.host() + ":" + mllp.port()));
        }
        String fhir = s.get(SettingsCatalog.FHIR_BASE_URL);
        if (fhir != null && !fhir.isEmpty()) {
            recipients.add(new Recipient("FHIR server (scheduling / EHR)", "re-reading appointments and reports; "
                    + "patients' answers (AppointmentResponse, Task, Communication)", host(fhir)));
        }
        alerts.channels().values().forEach(ch -> {
            if (ch instanceof NotificationRules.Webhook w) {
                recipients.add(new Recipient("alert channel " + w.name() + " (webhook)", "alerts to staff (ids "
                        + "only, no patient data)", host(w.url())));
            } else if (ch instanceof NotificationRules.Email e) {
                String smtp = s.get(SettingsCatalog.SMTP_HOST);
                recipients.add(new Recipient("alert channel " + e.name() + " (e-mail, " + e.to().size()
                        + " recipients)", "alerts to staff (ids only, no patient data)",
                        smtp == null ? "SMTP not configured" : smtp));
            }
        });

        RetentionRules rules = RetentionMapping.load(mappings);
        List<Retention> retention = Arrays.stream(DataClass.values())
                .map(d -> new Retention(d.label(), keptFor(rules.period(d)))).toList();

        List<SiteConsent> consent = sites.codes().stream().map(sites::site)
                .map(site -> new SiteConsent(site.code(), site.name(), site.consent().word())).toList();
        return new Register("the operator of this Careline installation", processing, recipients, retention, consent);
    }

    /** "12 months", "2 years", "400 days": as an officer reads it. */
    static String keptFor(Period p) {
        List<String> parts = new ArrayList<>();
        if (p.getYears() > 0) {
            parts.add(p.getYears() + (p.getYears() == 1 ? " year" : " years"));
        }
        if (p.getMonths() > 0) {
            parts.add(p.getMonths() + (p.getMonths() == 1 ? " month" : " months"));
        }
        if (p.getDays() > 0 || parts.isEmpty()) {
            parts.add(p.getDays() + (p.getDays() == 1 ? " day" : " days"));
        }
        return String.join(" ", parts) + ", then deleted (not while a patient is under legal hold)";
    }

    private static String host(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (RuntimeException e) {
            return "(unreadable URL)";
        }
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    static String text(Register r) {
        StringBuilder b = new StringBuilder("Processing register (GDPR article 30)\n");
        b.append("Controller: ").append(r.controller()).append("\n\nWhat is processed, why, about whom\n");
        for (Entry e : r.processing()) {
            b.append("- ").append(e.activity()).append(" (").append(e.subjects()).append("): ").append(e.purpose())
                    .append("\n    data: ").append(String.join("; ", e.data())).append('\n');
        }
        b.append("\nWhere it goes\n");
        for (Recipient x : r.recipients()) {
            b.append("- ").append(x.recipient()).append(": ").append(x.purpose()).append(" — ").append(x.where())
                    .append('\n');
        }
        b.append("\nHow long it is kept\n");
        for (Retention x : r.retention()) {
            b.append("- ").append(x.dataClass()).append(": ").append(x.keptFor()).append('\n');
        }
        b.append("\nConsent per site\n");
        for (SiteConsent x : r.consent()) {
            b.append("- ").append(x.site()).append(" (").append(x.name()).append("): ").append(x.mode()).append('\n');
        }
        return b.toString();
    }
}
