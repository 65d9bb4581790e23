package org.careline.writeback;

import org.careline.model.WritebackStatus;
import org.careline.model.WritebackAction;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.careline.support.EngineFixture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careline.writeback.Requests.*;

/** Without CARELINE_SCHEDULING_MLLP nothing is sent: requests wait, and the start says so. */
class WritebackDisabledTest {

    @Test
    void withoutSchedulingAddressNothingIsSentAndRequestsWait() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new Tee(err, log), true, StandardCharsets.UTF_8));
        EngineFixture started;
        try {
            started = EngineFixture.start(Map.of("CARELINE_WRITEBACK_INTERVAL_MS", "100"), NOW);
        } finally {
            System.setErr(err);
        }
        try (EngineFixture fx = started) {
            String startLog;
            synchronized (log) {
                startLog = log.toString(StandardCharsets.UTF_8);
            }
            assertThat(startLog).containsPattern("WARN WritebackSender - write-back over MLLP disabled: "
                    + "CARELINE_SCHEDULING_MLLP is not set");
            Booked appt = book(fx, "2.5");
            long id = enqueue(fx, appt.id(), WritebackAction.CANCEL);

            RouteController routes = fx.engine.camelContext().getRouteController();
            assertThat(routes.getRouteStatus("writeback")).isEqualTo(ServiceStatus.Stopped);
            assertThat(routes.getRouteStatus("scheduling")).isEqualTo(ServiceStatus.Stopped);
            // Even a round run by hand sends nothing.
            WritebackSender sender = fx.engine.camelContext().getRegistry()
                    .lookupByNameAndType("writebackSender", WritebackSender.class);
            assertThat(sender.sendDue()).isZero();
            Map<String, Object> row = request(fx, id);
            assertThat(row.get("STATUS")).isEqualTo(WritebackStatus.PENDING.dbValue());
            assertThat(row.get("ATTEMPTS")).isEqualTo(0);
            assertThat(row.get("CONTROL_ID")).isNull();
            // The stopped routes do not count against readiness.
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + fx.httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
