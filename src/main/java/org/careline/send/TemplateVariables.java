package org.careline.send;

import org.careline.model.Site;
import org.careline.config.TemplateCatalog;
import org.careline.store.Outbox;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The values a template may use, for one outgoing message: times in the site's zone, in the patient's language. */
public final class TemplateVariables {

    private TemplateVariables() {
    }

    public static Map<String, String> of(Outbox.Due due, Site site, TemplateCatalog.Formats formats) {
        return of(due, site, formats, null);
    }

    /** @param portalLink the signed portal link of a result/document notice, else null */
    public static Map<String, String> of(Outbox.Due due, Site site, TemplateCatalog.Formats formats,
                                         String portalLink) {
        Map<String, String> v = new HashMap<>();
        v.put("portal_link", portalLink);
        v.put("patient_first_name", firstWord(due.givenName()));
        if (due.appointmentId() != null) {
            v.put(TemplateRenderer.APPOINTMENT_ID, String.valueOf(due.appointmentId()));
        }
        v.put("provider", due.provider());
        if (due.start() != null) {
            ZonedDateTime local = due.start().atZone(site.zone());
            v.put("date", local.format(formats.date()));
            v.put("time", local.format(formats.time()));
        }
        v.put("facility_name", site.name());
        v.put("facility_address", site.address());
        v.put("clinic_phone", site.phone());
        v.put("instructions", due.instructions());
        if (site.hasCoordinates()) {
            v.put("map_link", String.format(Locale.ROOT, "https://maps.google.com/?q=%.6f,%.6f",
                    site.latitude(), site.longitude()));
        }
        return v;
    }

    private static String firstWord(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String first = given.trim().split("\\s+")[0];
        // Feeds often send names in capitals; "ADAM" reads better as "Adam", but "McKay" is left as written.
        if (!first.equals(first.toUpperCase(Locale.ROOT))) {
            return first;
        }
        return first.substring(0, 1) + first.substring(1).toLowerCase(Locale.ROOT);
    }
}
