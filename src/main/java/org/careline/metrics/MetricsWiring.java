package org.careline.metrics;

import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.careline.access.Authenticator;
import org.careline.config.Settings;
import org.careline.model.EngineEvents;
import org.careline.send.SendingPause;
import org.careline.store.ApiTokens;
import org.careline.store.AuditLog;
import org.careline.store.Database;
import org.careline.store.StaffSessions;
import org.careline.store.StaffUsers;

import java.time.Clock;
import java.time.Duration;

/**
 * Builds one engine's metrics (docs/metrics.md): the registry and its gauges, the bean behind {@code GET /metrics}
 * on the HTTP port (routes/metrics.yaml), camel-micrometer's route policy on every route, and with
 * CARELINE_METRICS_PORT the second port without a token, started and stopped with Camel. Returns the
 * {@link EngineEvents} that the deciding classes count through.
 */
public final class MetricsWiring {

    private MetricsWiring() {
    }

    public static EngineMetrics bind(Main main, Settings s, Database db, SendingPause pause, Clock clock) {
        EngineMetrics metrics = new EngineMetrics(new StoreFigures(db, clock,
                Duration.ofMillis(s.metricsCacheMillis())), pause, s.sendRatePerSecond(), clock);
        main.bind(MetricsEndpoint.BEAN, new MetricsEndpoint(metrics, new Authenticator(db, new StaffUsers(),
                new StaffSessions(), new ApiTokens(), s.access(), clock), db, new AuditLog(), clock));
        MicrometerRoutePolicyFactory routes = new MicrometerRoutePolicyFactory();
        routes.setMeterRegistry(metrics.registry());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                m.getCamelContext().addRoutePolicyFactory(routes);
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    m.getCamelContext().addService(new ServiceSupport() {
                        private MetricsPort port;

                        @Override
                        protected void doStart() throws Exception {
                            if (s.metricsPort() != null) {
                                try {
                                    port = MetricsPort.start(s.bindAddress(), s.metricsPort(), metrics);
                                } catch (java.net.BindException e) {
                                    throw new IllegalStateException("CARELINE_METRICS_PORT " + s.metricsPort()
                                            + " is already in use by another program");
                                }
                            }
                        }

                        @Override
                        protected void doStop() {
                            if (port != null) {
                                port.close();
                                port = null;
                            }
                            metrics.close();
                        }
                    }, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return metrics;
    }
}
