package org.careline.triage;

import org.apache.camel.main.Main;
import org.careline.config.ReplyRules;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.config.TemplateCatalog;
import org.careline.config.TriageRules;
import org.careline.conversation.ReplyHandler;
import org.careline.model.WritebackChannel;
import org.careline.store.AlertLog;
import org.careline.store.ConversationStore;
import org.careline.store.Database;
import org.careline.store.Handoffs;
import org.careline.store.Outbox;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/** The triage part of one engine: mappings/triage.yaml, the desk staff work through, the SLA watch's bean. */
public final class TriageWiring {

    /** The bean name the HTTP API looks the desk up by. */
    public static final String DESK_BEAN = "triageDesk";
    /** The bean routes/triage.yaml's timer calls. */
    public static final String WATCH_BEAN = "slaWatch";

    private TriageWiring() {
    }

    /** Reads triage.yaml and checks it against the other mapping files (before anything is opened). */
    public static TriageRules load(Path mappingsDir, ReplyRules replies, SiteDirectory sites,
                                   TemplateCatalog templates) {
        TriageRules rules = TriageRules.load(mappingsDir);
        rules.checkAgainst(mappingsDir, replies, sites, templates);
        return rules;
    }

    /**
     * Binds the desk ({@value #DESK_BEAN}) and the SLA watch ({@value #WATCH_BEAN}); returns what the reply handler
     * needs to land patients' messages in the queues, and the desk.
     *
     * @param nudge asks the dispatcher to send now
     */
    /** What the reply handler needs to land messages in queues, and the desk staff work through. */
    public record Wired(ReplyHandler.Triage triage, TriageDesk desk) {
    }

    public static Wired bind(Main main, Settings s, Database db, TriageRules rules, SiteDirectory sites,
                                           TemplateCatalog templates, Outbox outbox, AlertLog alerts, Clock clock,
                                           Runnable nudge) {
        Handoffs handoffs = new Handoffs(db.cipher());
        TriageDesk desk = new TriageDesk(db, handoffs, outbox, new ConversationStore(db.cipher()), rules, sites, templates, nudge);
        main.bind(DESK_BEAN, desk);
        main.bind(WATCH_BEAN, new SlaWatch(db, handoffs, alerts, clock));
        Set<WritebackChannel> reachable = EnumSet.noneOf(WritebackChannel.class);
        if (s.writebackEnabled()) {
            reachable.add(WritebackChannel.HL7);
        }
        if (s.fhir().enabled()) {
            reachable.add(WritebackChannel.FHIR);
        }
        return new Wired(new ReplyHandler.Triage(rules, handoffs, alerts, Set.copyOf(reachable)), desk);
    }
}
