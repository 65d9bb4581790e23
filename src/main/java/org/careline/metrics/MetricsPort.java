package org.careline.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * CARELINE_METRICS_PORT: {@code GET /metrics} without a token, on a port of its own bound to
 * CARELINE_BIND_ADDRESS, for a management network where Prometheus scrapes without credentials. The JDK's small
 * HTTP server is enough for one read-only path: one thread, nothing else answered (404, or 405 for another method).
 */
final class MetricsPort implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPort.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsPort(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static MetricsPort start(String bindAddress, int port, EngineMetrics metrics) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
                    reply(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                } else if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                } else {
                    reply(exchange, 200, EngineMetrics.CONTENT_TYPE, metrics.scrape());
                }
            } catch (RuntimeException e) {
                LOG.warn("metrics port: answer failed ({})", e.getClass().getSimpleName());
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "careline-metrics-port");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        LOG.info("metrics without a token on {}:{}/metrics (CARELINE_METRICS_PORT)", bindAddress, port);
        return new MetricsPort(server, executor);
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
