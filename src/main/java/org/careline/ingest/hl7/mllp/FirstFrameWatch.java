package org.careline.ingest.hl7.mllp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose first complete frame does not arrive within the first-frame timeout. camel-mllp only
 * knows an idle timeout, counted from accept as much as from the last message, so a stranger could hold a slot of
 * the connection cap for the whole idle timeout (10 minutes by default) without sending anything. A connection that
 * has delivered a frame is forgotten here and left to the idle timeout.
 */
final class FirstFrameWatch {

    private static final Logger LOG = LoggerFactory.getLogger(FirstFrameWatch.class);

    private final long timeoutMillis;
    private final Map<Socket, ScheduledFuture<?>> waiting = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;

    FirstFrameWatch(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mllp-first-frame-watch");
            t.setDaemon(true);
            return t;
        });
        // Most connections send their frame in time: their cancelled checks should not pile up in the queue.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts the clock of a connection just accepted. */
    void accepted(Socket socket) {
        if (timeoutMillis <= 0) {
            return;
        }
        try {
            waiting.put(socket, timer.schedule(() -> expire(socket), timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The listener is stopping; camel-mllp closes its connections itself.
        }
    }

    /** The connection has delivered a complete frame: it is an EHR, not a squatter. */
    void framed(Socket socket) {
        ScheduledFuture<?> check = waiting.remove(socket);
        if (check != null) {
            check.cancel(false);
        }
    }

    private void expire(Socket socket) {
        if (waiting.remove(socket) == null || socket.isClosed()) {
            return;
        }
        // The address only: whatever bytes it sent may be message content.
        LOG.warn("MLLP connection from {} closed: no complete frame within {} ms of connecting",
                SourceAddress.of(socket), timeoutMillis);
        try {
            // The reading thread sees the socket closed and ends; its slot of the connection cap is free again.
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing a connection without a first frame failed", e);
        }
    }

    void stop() {
        waiting.clear();
        timer.shutdownNow();
    }
}
