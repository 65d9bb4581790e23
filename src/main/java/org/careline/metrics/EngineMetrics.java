package org.careline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.careline.ingest.fhir.NotificationParser;
import org.careline.model.EngineEvents;
import org.careline.send.SendingPause;
import org.careline.store.QueueDepths;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * One engine's metrics: the counters the deciding classes tell through {@link EngineEvents}, the gauges read from
 * the database ({@link StoreFigures}), the send rate against its cap, the pause, and the JVM's and process's own.
 * One registry per engine (not Micrometer's global one), so two engines in one JVM (the tests) never share counts.
 * The names and labels are listed in docs/metrics.md.
 */
public final class EngineMetrics implements EngineEvents, AutoCloseable {

    /** Prometheus text exposition format 0.0.4, what every Prometheus server reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String NO_CODE = "none";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SendRateWindow sendRate = new SendRateWindow();
    private final Clock clock;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * @param figures         the database's figures, read on a scrape and reused for a while
     * @param pause           whether sending is paused, and by which code
     * @param sendRateCap     CARELINE_SEND_RATE_PER_SECOND
     */
    EngineMetrics(StoreFigures figures, SendingPause pause, int sendRateCap, Clock clock) {
        this.clock = clock;
        // Camel's route metrics (camel-micrometer) under our prefix, like every other Careline metric.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("camel.")) {
                    return id.withName("careline." + id.getName());
                }
                // camel-micrometer's own gauge of the Camel version (app_info, without a description).
                return id.getName().equals("app.info") ? id.withName("careline.camel.app.info") : id;
            }
        });
        for (String q : QueueDepths.QUEUES) {
            gauge("careline.queue.due.items", "Items due now and not yet worked, per queue (counted up to "
                    + QueueDepths.COUNT_CAP + ")", null, "queue", q, figures, f -> {
                QueueDepths.Depth d = f.current().depths().get(q);
                return d == null ? Double.NaN : d.due();
            });
            gauge("careline.queue.oldest.due.age", "How long the oldest item due in the queue has waited since it "
                    + "became due (0 when none is due)", "seconds", "queue", q, figures, f -> {
                QueueDepths.Depth d = f.current().depths().get(q);
                return d == null ? Double.NaN : d.oldestDueAge() == null ? 0 : seconds(d.oldestDueAge());
            });
        }
        Gauge.builder("careline.fhir.last.event.age", figures, f -> {
                    Duration since = f.current().fhir().sinceLastEvent();
                    return since == null ? Double.NaN : seconds(since);
                }).description("Time since a FHIR subscription's event number last moved on (no value before the "
                        + "first event)").baseUnit("seconds").strongReference(true).register(registry);
        for (String type : new TreeSet<>(NotificationParser.ACCEPTED_TYPES)) {
            gauge("careline.fhir.synced.until.lag", "How far the search catch-up of a FHIR resource type trails now "
                    + "(no value before its first catch-up)", "seconds", "resource_type", type, figures, f -> {
                Duration lag = f.current().fhir().syncedUntilLag().get(type);
                return lag == null ? Double.NaN : seconds(lag);
            });
        }
        Gauge.builder("careline.send.rate.per.second", sendRate, w -> w.perSecond(clock.instant()))
                .description("Messages the Cloud API accepted per second over the last " + SendRateWindow.SECONDS
                        + " s").strongReference(true).register(registry);
        Gauge.builder("careline.send.rate.cap.per.second", () -> sendRateCap)
                .description("The send-rate cap (CARELINE_SEND_RATE_PER_SECOND)").register(registry);
        for (PauseReason r : PauseReason.values()) {
            gauge("careline.sending.paused", "1 while all sending is paused for this reason (until restart), else 0",
                    null, "reason", r.label(), pause, p -> p.paused() && PauseReason.of(p.code()) == r ? 1 : 0);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // The counters exist from the start at 0 for the values every engine has, so that rate() and increase()
        // see the first event; values met later (other message types, error codes) appear when first counted.
        for (SendOutcome o : SendOutcome.values()) {
            sends(o, null);
        }
        for (WebhookOutcome o : WebhookOutcome.values()) {
            webhooks(o);
        }
        for (FhirNotificationOutcome o : FhirNotificationOutcome.values()) {
            fhir(o);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text of every metric now. */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    @Override
    public void hl7Answered(String messageType, String triggerEvent, String ackCode) {
        Counter.builder("careline.hl7.messages").description("HL7 v2 messages answered over MLLP, by MSH-9 (known "
                        + "codes only) and the ACK code sent")
                .tag("type", messageType).tag("event", triggerEvent).tag("ack", ackCode).register(registry)
                .increment();
    }

    @Override
    public void fhirNotification(FhirNotificationOutcome outcome) {
        fhir(outcome).increment();
    }

    @Override
    public void webhook(WebhookOutcome outcome) {
        webhooks(outcome).increment();
    }

    @Override
    public void send(SendOutcome outcome, Integer errorCode) {
        sends(outcome, errorCode).increment();
        if (outcome == SendOutcome.SENT) {
            sendRate.record(clock.instant());
        }
    }

    private Counter fhir(FhirNotificationOutcome outcome) {
        return Counter.builder("careline.fhir.notifications").description("FHIR notifications POSTed to /fhir, by "
                + "outcome").tag("outcome", label(outcome)).register(registry);
    }

    private Counter webhooks(WebhookOutcome outcome) {
        return Counter.builder("careline.webhook.requests").description("Webhook POSTs from Meta to "
                + "/webhooks/whatsapp, by outcome").tag("outcome", label(outcome)).register(registry);
    }

    private Counter sends(SendOutcome outcome, Integer errorCode) {
        return Counter.builder("careline.sends").description("Outcomes of send attempts (and of failed delivery "
                        + "statuses), by outcome and Cloud API error code")
                .tag("outcome", label(outcome)).tag("code", errorCode == null ? NO_CODE : String.valueOf(errorCode))
                .register(registry);
    }

    private <T> void gauge(String name, String help, String unit, String tag, String value, T source,
                           ToDoubleFunction<T> read) {
        Gauge.Builder<T> b = Gauge.builder(name, source, read).description(help).tag(tag, value)
                .strongReference(true);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
