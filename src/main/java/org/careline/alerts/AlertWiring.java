package org.careline.alerts;

import org.apache.camel.main.Main;
import org.careline.config.NotificationRules;
import org.careline.config.Settings;
import org.careline.config.SmtpSettings;
import org.careline.store.AlertDeliveries;
import org.careline.store.AlertLog;
import org.careline.store.Database;
import org.careline.store.InboundLog;
import org.careline.store.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wires the alert machinery into an engine: the alert log that routes each raised alert to its channels
 * ({@link #alertLog}), and the beans the routes in routes/alerts.yaml and the console's API call ({@link #bind}):
 * {@code alertDeliverer}, {@code feedWatch} and {@code alertDesk}.
 */
public final class AlertWiring {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWiring.class);

    private AlertWiring() {
    }

    /**
     * The engine's one alert log: every part raises through it, so every alert reaches its channels. E-mail
     * channels are left out while CARELINE_SMTP_HOST is unset (said once, here), so nothing waits for them.
     */
    public static AlertLog alertLog(NotificationRules rules, Settings s) {
        Map<String, String> off = offChannels(rules, s.smtp());
        if (!off.isEmpty()) {
            LOG.warn("e-mail alert channels {} are off: CARELINE_SMTP_HOST is not set; alerts routed to them only show "
                    + "in the console", off.keySet());
        }
        if (rules.channels().isEmpty()) {
            LOG.info("no notification channels in mappings/{}: alerts only show in the console",
                    NotificationRules.FILE);
        } else {
            LOG.info("notification channels: {}", rules.channels().values());
        }
        return new AlertLog((site, severity) -> rules.channelsFor(site, severity).stream()
                .filter(name -> !off.containsKey(name)).toList());
    }

    /**
     * Binds alertDeliverer, feedWatch and alertDesk, and the route properties of routes/alerts.yaml; returns the
     * desk, for the staff API.
     */
    public static AlertDesk bind(Main main, Database db, AlertLog alerts, NotificationRules rules, Settings s,
                            Clock clock) {
        SmtpSettings smtp = s.smtp();
        Map<String, String> off = offChannels(rules, smtp);
        Map<String, AlertChannel> channels = channels(rules, smtp, WebhookAlertChannel.client());
        RetryPolicy retries = RetryPolicy.untilDone(Duration.ofMillis(s.alertRetryBaseMillis()),
                Duration.ofMillis(s.alertRetryMaxMillis()));
        AlertDeliveries deliveries = new AlertDeliveries();
        main.bind("alertDeliverer", new AlertDeliverer(db, deliveries, channels, off, retries, s.alertGiveUpAfter(),
                s.alertLinkBase(), clock));
        FeedWatch feedWatch = new FeedWatch(db, new InboundLog(db.cipher()), alerts, s.feedSilentAfter(), clock);
        main.addInitialProperty("careline.feedwatch.enabled", String.valueOf(feedWatch.enabled()));
        main.bind("feedWatch", feedWatch);
        AlertDesk desk = new AlertDesk(db, alerts, deliveries);
        main.bind("alertDesk", desk);
        main.bind("alertLog", alerts);
        return desk;
    }

    /** The channels that can send, by name. */
    static Map<String, AlertChannel> channels(NotificationRules rules, SmtpSettings smtp, HttpClient http) {
        Map<String, AlertChannel> out = new LinkedHashMap<>();
        for (NotificationRules.Channel c : rules.channels().values()) {
            if (c instanceof NotificationRules.Webhook w) {
                out.put(w.name(), new WebhookAlertChannel(w.name(), w.url(), w.secret(), http));
            } else if (c instanceof NotificationRules.Email e && smtp.enabled()) {
                out.put(e.name(), new MailAlertChannel(e.name(), e.to(), smtp));
            }
        }
        return out;
    }

    /** Configured channels that cannot send → why. */
    public static Map<String, String> offChannels(NotificationRules rules, SmtpSettings smtp) {
        Map<String, String> off = new LinkedHashMap<>();
        if (!smtp.enabled()) {
            for (NotificationRules.Channel c : rules.channels().values()) {
                if (c instanceof NotificationRules.Email) {
                    off.put(c.name(), "e-mail is off: CARELINE_SMTP_HOST is not set");
                }
            }
        }
        return off;
    }
}
