package org.careline.alerts.rules;

import org.apache.camel.main.Main;
import org.careline.alerts.AlertWiring;
import org.careline.config.AlertRulesMapping;
import org.careline.config.NotificationRules;
import org.careline.config.Settings;
import org.careline.config.SiteDirectory;
import org.careline.ingest.whatsapp.InboundMessageSink;
import org.careline.send.SendingPause;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.RuleMeasures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires the alert rules of mappings/alerts.yaml into an engine: the bean {@value #BEAN} that routes/alert-rules.yaml
 * calls once a minute ({@link #bind}), and — when a keyword_rate watch counts words — the {@link WordCounter} in
 * front of the inbound message sink ({@link #countingWords}), so words are counted as each patient message is
 * classified.
 */
public final class AlertRulesWiring {

    public static final String BEAN = "alertRuleWatch";
    private static final Logger LOG = LoggerFactory.getLogger(AlertRulesWiring.class);

    private AlertRulesWiring() {
    }

    /**
     * The engine's inbound message sink, with the {@link WordCounter} in front of it when a keyword_rate watch
     * counts words (else the sink itself): what Engine binds as {@code inboundMessageSink}.
     */
    public static InboundMessageSink countingWords(AlertRulesMapping rules, InboundMessageSink sink) {
        return WordCounter.needed(rules.keywordRate())
                ? new WordCounter(sink, new RuleMeasures(), rules.keywordRate().watches()) : sink;
    }

    /** Binds the watch. */
    public static AlertRuleWatch bind(Main main, Database db, AlertRulesMapping rules, AlertLog alerts,
                                      NotificationRules notifications, Settings s, SiteDirectory sites,
                                      SendingPause pause, Clock clock) {
        RuleMeasures measures = new RuleMeasures();
        Map<String, String> off = AlertWiring.offChannels(notifications, s.smtp());
        Map<String, AlertLog> own = new HashMap<>();
        own(own, AlertRuleWatch.SEND_FAILURE_RATE, rules.sendFailureRate().delivery(), off);
        own(own, AlertRuleWatch.QUEUE_AGE, rules.queueAge().delivery(), off);
        own(own, AlertRuleWatch.SENDING_PAUSED, rules.sendingPaused().delivery(), off);
        own(own, AlertRuleWatch.WEBHOOKS_STOPPED, rules.webhooksStopped().delivery(), off);
        own(own, AlertRuleWatch.FEED_SILENT, rules.feedSilent().delivery(), off);
        own(own, AlertRuleWatch.KEYWORD_RATE, rules.keywordRate().delivery(), off);
        own(own, AlertRuleWatch.DEAD_LETTERS, rules.deadLetters().delivery(), off);
        AlertRuleWatch watch = new AlertRuleWatch(db, measures, rules, new RuleAlerts(alerts, own), sites,
                pause::pausedSince, clock);
        main.bind(BEAN, watch);
        // The pause the sending_paused rule reads, by name: a test (or an operator's tool) resumes sending with it.
        main.bind("sendingPause", pause);
        LOG.info("alert rules (mappings/{}): {} on", AlertRulesMapping.FILE, enabled(rules));
        return watch;
    }

    /** A rule that names its own channels raises through an alert log routed to those (less any that are off). */
    private static void own(Map<String, AlertLog> own, String kind, AlertRulesMapping.Delivery d,
                            Map<String, String> off) {
        if (d.channels() != null) {
            List<String> channels = d.channels().stream().filter(name -> !off.containsKey(name)).toList();
            own.put(kind, new AlertLog((site, severity) -> channels));
        }
    }

    private static List<String> enabled(AlertRulesMapping r) {
        List<String> on = new java.util.ArrayList<>();
        add(on, "send_failure_rate", r.sendFailureRate().delivery());
        add(on, "queue_age", r.queueAge().delivery());
        add(on, "sending_paused", r.sendingPaused().delivery());
        add(on, "webhooks_stopped", r.webhooksStopped().delivery());
        add(on, "feed_silent", r.feedSilent().delivery());
        add(on, "keyword_rate", r.keywordRate().delivery());
        add(on, "dead_letters", r.deadLetters().delivery());
        return on;
    }

    private static void add(List<String> on, String name, AlertRulesMapping.Delivery d) {
        if (d.enabled()) {
            on.add(name);
        }
    }
}
