package org.careline.consent;

import org.careline.config.MappingException;
import org.careline.config.SiteDirectory;
import org.careline.config.TemplateCatalog;
import org.careline.model.ConsentMode;
import org.careline.model.MessageKind;
import org.careline.store.AuditLog;
import org.careline.store.ConsentStore;
import org.careline.store.Outbox;
import org.careline.store.crypto.FieldCipher;

import java.nio.file.Path;

/**
 * Builds consent's store and recorder once for the engine: the dispatcher (holds, the opt-in request), the reply
 * handler (YES/NO, STOP/START), the HL7 and FHIR feeds and the staff API all record through the same pair, so a
 * change to how consent is stored or recorded is made in one place.
 */
public final class ConsentWiring {

    private ConsentWiring() {
    }

    /** What every part that reads or records consent is handed. */
    public record Consents(ConsentStore store, ConsentRecorder recorder) {
    }

    public static Consents build(Outbox outbox, FieldCipher cipher) {
        ConsentStore store = new ConsentStore(new AuditLog(), cipher);
        return new Consents(store, new ConsentRecorder(store, outbox));
    }

    /**
     * An opt-in site needs the opt-in template: without it the first held message could never ask for consent, and
     * it would be tried again every hour for ever. Refused at start and by {@code validate}, naming the site's
     * {@code consent} line in sites.yaml.
     */
    public static void requireOptInTemplate(Path mappingsDir, SiteDirectory sites, TemplateCatalog templates) {
        if (templates.template(MessageKind.OPT_IN) != null) {
            return;
        }
        for (String code : sites.codes()) {
            if (sites.site(code).consent() == ConsentMode.OPT_IN) {
                throw MappingException.at(mappingsDir.resolve("sites.yaml"), "sites." + code + ".consent",
                        "the site is opt-in, but " + mappingsDir.resolve("templates.yaml") + " has no "
                                + "'templates.opt_in' (the template asking the patient's consent): add it, or make the "
                                + "site opt-out");
            }
        }
    }
}
