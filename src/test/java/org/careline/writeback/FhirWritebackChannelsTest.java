package org.careline.writeback;

import org.careline.model.WritebackStatus;
import org.careline.model.WritebackAction;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.careline.support.EngineFixture;
import org.careline.support.FhirStub;
import org.careline.support.Flow;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.careline.writeback.Requests.*;

/**
 * Each way out runs only when configured: with only a FHIR server, FHIR requests go and HL7 ones wait; with only
 * MLLP, FHIR requests wait. Waiting requests stay PENDING, unattempted, and the log says why (ids only). One engine
 * at a time (camel-quartz's scheduler is shared in one JVM).
 */
class FhirWritebackChannelsTest {

    @Test
    void withOnlyAFhirServerTheTimerRunsFhirRequestsGoAndHl7RequestsWait() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new Tee(err, log), true, StandardCharsets.UTF_8));
        try (FhirStub fhir = new FhirStub();
             EngineFixture fx = EngineFixture.start(Map.of("CARELINE_FHIR_BASE_URL", fhir.baseUrl(),
                     "CARELINE_WRITEBACK_INTERVAL_MS", "100", "CARELINE_FHIR_NOTIFY_OPEN", "true"), NOW)) {
            RouteController routes = fx.engine.camelContext().getRouteController();
            assertThat(routes.getRouteStatus("writeback")).isEqualTo(ServiceStatus.Started);
            assertThat(routes.getRouteStatus("scheduling")).isEqualTo(ServiceStatus.Stopped);

            Booked hl7 = book(fx, "2.5");
            long waiting = enqueue(fx, hl7.id(), WritebackAction.CONFIRM);
            FhirBooked fed = fhirBook(fx, "main");
            long sent = enqueue(fx, fed.id(), WritebackAction.CONFIRM);

            await().atMost(WAIT).until(() -> WritebackStatus.DONE.dbValue().equals(status(fx, sent)));
            Map<String, Object> row = request(fx, waiting);
            assertThat(row.get("STATUS")).isEqualTo(WritebackStatus.PENDING.dbValue());
            assertThat(row.get("ATTEMPTS")).isEqualTo(0);
            assertThat(row.get("CONTROL_ID")).isNull();
            assertThat(row.get("LAST_ERROR")).isEqualTo("CARELINE_SCHEDULING_MLLP not set");
            await().atMost(WAIT).until(() -> text(log).contains("writeback=" + waiting + " appointment=" + hl7.id()
                    + " action=CONFIRM goes over HL7, but CARELINE_SCHEDULING_MLLP is not set"));
            assertThat(text(log)).contains("write-back over MLLP disabled").doesNotContain(hl7.patientId());
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void withOnlyMllpFhirRequestsWait() throws Exception {
        try (EngineFixture fx = EngineFixture.start(Map.of("CARELINE_SCHEDULING_MLLP", "127.0.0.1:1",
                "CARELINE_WRITEBACK_INTERVAL_MS", "100"), NOW)) {
            FhirBooked fed = fhirBook(fx, "main");
            long id = enqueue(fx, fed.id(), WritebackAction.CANCEL);

            await().atMost(WAIT).until(() -> "CARELINE_FHIR_BASE_URL not set".equals(request(fx, id).get("LAST_ERROR")));
            Map<String, Object> row = request(fx, id);
            assertThat(row.get("STATUS")).isEqualTo(WritebackStatus.PENDING.dbValue());
            assertThat(row.get("ATTEMPTS")).isEqualTo(0);
            // Looked at again later, not every round.
            assertThat(Flow.instant(row.get("DUE_AT"))).isEqualTo(fx.clock.instant().plus(WritebackSender.UNCONFIGURED_RECHECK));
        }
    }

    private static String text(ByteArrayOutputStream log) {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }
}
