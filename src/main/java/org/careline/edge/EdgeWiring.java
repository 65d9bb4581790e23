package org.careline.edge;

import io.vertx.core.Vertx;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.careline.config.Settings;
import org.careline.config.TlsSettings;
import org.careline.ingest.hl7.mllp.MllpEdge;
import org.careline.ingest.hl7.mllp.PipeliningMllpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The network edge of one engine (docs/security-network.md): the bind address of both listeners, the MLLP
 * component with its allowlist, first-frame timeout and TLS, and the HTTP server's idle timeout and TLS.
 */
public final class EdgeWiring {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeWiring.class);

    private EdgeWiring() {
    }

    /** Reads the PEM files (a problem fails here, naming the variable) and binds the "mllp" component. */
    public static void bind(Main main, Settings s) {
        TlsSettings t = s.tls();
        TlsMaterial tls = t.anyOn() ? TlsMaterial.load(t) : null;
        main.addInitialProperty("careline.bind-address", uriHost(s.bindAddress()));
        main.addInitialProperty("camel.server.host", s.bindAddress());
        main.bind("mllp", new PipeliningMllpComponent(new MllpEdge(s.mllpAllow(), s.mllpFirstFrameTimeoutMillis(),
                t.mllp() ? tls.listener() : null, t.schedulingMllp() ? tls.client() : null)));
        HttpServerTuning http = new HttpServerTuning(s.httpIdleTimeoutMillis(), t.http() ? tls : null);
        withVertx(main, http);
        if (t.mllp() || t.http()) {
            LOG.info("TLS on {}{}; client certificates {}", t.mllp() ? "MLLP " : "", t.http() ? "HTTP" : "",
                    t.mutual() ? "required (CARELINE_TLS_CLIENT_CA)" : "not asked");
        }
    }

    /** What {@code validate} reports about the PEM files: empty when they read and fit, else one line. */
    public static java.util.Optional<String> check(TlsSettings tls) {
        if (!tls.anyOn()) {
            return java.util.Optional.empty();
        }
        try {
            TlsMaterial.load(tls);
            return java.util.Optional.empty();
        } catch (TlsMaterial.TlsSetupException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /**
     * camel-platform-http uses the one Vert.x in the registry; ours makes its HTTP server with our options. Made when
     * Camel is configured (not earlier, so an engine that fails to build leaves no Vert.x threads) and closed with it.
     */
    private static void withVertx(Main main, HttpServerTuning http) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                Vertx vertx = Vertx.vertx();
                m.getCamelContext().getRegistry().bind("carelineVertx", Vertx.class, http.wrap(vertx));
                // After every service (the HTTP server among them) has stopped: closing Vert.x before its server
                // makes the server's own stop fail.
                m.getCamelContext().addLifecycleStrategy(new LifecycleStrategySupport() {
                    @Override
                    public void onContextStopped(CamelContext context) {
                        try {
                            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            LOG.warn("Vert.x did not close within 10 s: {}", e.toString());
                        }
                    }
                });
            }
        });
    }

    /** An IPv6 literal goes into the mllp: URI in brackets. */
    private static String uriHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
