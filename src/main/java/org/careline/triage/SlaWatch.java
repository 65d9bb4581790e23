package org.careline.triage;

import org.careline.model.AlertRaise;
import org.careline.model.AlertSeverity;
import org.careline.model.HandoffEventKind;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.Handoffs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The timer's round (routes/triage.yaml): items past their SLA and not resolved raise one sla_breach warning each;
 * emergencies nobody claimed within the site's escalateAfter raise one emergency_unclaimed critical alert each. Each
 * item is stamped escalated_at by a conditional UPDATE in the transaction that raises its alert, so with several
 * engines on one database every alert is raised exactly once.
 */
public final class SlaWatch {

    private static final Logger LOG = LoggerFactory.getLogger(SlaWatch.class);
    /** Items looked at per round; a larger backlog is worked off over the following rounds. */
    static final int BATCH = 200;

    private final Database db;
    private final Handoffs handoffs;
    private final AlertLog alerts;
    private final Clock clock;

    public SlaWatch(Database db, Handoffs handoffs, AlertLog alerts, Clock clock) {
        this.db = db;
        this.handoffs = handoffs;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** One round; returns how many alerts it raised. */
    public int run() {
        Instant now = clock.instant();
        List<Handoffs.Handoff> due = db.inTransaction(c -> handoffs.escalationsDue(c, now, BATCH));
        int raised = 0;
        for (Handoffs.Handoff h : due) {
            boolean unclaimedEmergency = h.escalateAt() != null;
            boolean mine = db.inTransaction(c -> {
                if (!handoffs.markEscalated(c, h.id(), now)) {
                    return false; // another engine did, or the item was claimed or resolved since
                }
                String kind = unclaimedEmergency ? "emergency_unclaimed" : "sla_breach";
                alerts.raise(c, new AlertRaise(kind, unclaimedEmergency ? AlertSeverity.CRITICAL
                        : AlertSeverity.WARNING, h.site(), "handoff:" + h.id(), null,
                        "handoff=" + h.id() + " queue=" + h.queue()), now);
                handoffs.addEvent(c, h.id(), HandoffEventKind.ESCALATED, null, kind, null, null, now);
                return true;
            });
            if (mine) {
                raised++;
                LOG.warn("handoff={} queue={} escalated: {}", h.id(), h.queue(),
                        unclaimedEmergency ? "emergency not claimed" : "past its SLA");
            }
        }
        return raised;
    }
}
