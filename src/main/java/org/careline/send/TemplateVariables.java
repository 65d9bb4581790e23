package org.careline.send;

import org.careline.model.MessageContext;
import org.careline.model.Site;
import org.careline.config.TemplateCatalog;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The values a template may use, for one outgoing message: times in the site's zone, in the patient's language. */
public final class TemplateVariables {

    private TemplateVariables() {
    }

    /** For an appointment template: the appointment's current data. */
    public static Map<String, String> of(MessageContext.Appointment appointment, Site site,
                                         TemplateCatalog.Formats formats) {
        Map<String, String> v = common(appointment.givenName(), site);
        if (appointment.appointmentId() != null) {
            v.put(TemplateRenderer.APPOINTMENT_ID, String.valueOf(appointment.appointmentId()));
        }
        v.put("provider", appointment.provider());
        if (appointment.start() != null) {
            ZonedDateTime local = appointment.start().atZone(site.zone());
            v.put("date", local.format(formats.date()));
            v.put("time", local.format(formats.time()));
        }
        v.put("instructions", appointment.instructions());
        return v;
    }

    /** For a result/document notice. @param portalLink the notice's signed portal link, or null */
    public static Map<String, String> of(MessageContext.Notice notice, Site site, String portalLink) {
        Map<String, String> v = common(notice.givenName(), site);
        v.put("portal_link", portalLink);
        return v;
    }

    /** What every template may use: the patient's first name and the site. */
    private static Map<String, String> common(String givenName, Site site) {
        Map<String, String> v = new HashMap<>();
        v.put("patient_first_name", firstWord(givenName));
        v.put("facility_name", site.name());
        v.put("facility_address", site.address());
        v.put("clinic_phone", site.phone());
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
