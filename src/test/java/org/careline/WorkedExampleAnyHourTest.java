package org.careline;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.careline.ingest.hl7.SiuIngest;
import org.careline.support.EngineFixture;
import org.careline.support.MetaStub;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's worked example at an hour inside gh-clinic's quiet hours (04:00Z is 23:00 in Detroit): booked at
 * demo-clinic, whose quiet hours are off, its confirmation goes at once; the same booking at GH Clinic waits for
 * 08:00 Detroit time, the log says so by id, and {@code careline pending} lists it on the stopped engine's H2.
 */
class WorkedExampleAnyHourTest {

    private static final Instant NIGHT = Instant.parse("2026-12-03T04:00:00Z");

    /** The README's SIU as its shell lines write it, with START three days on and the MSH time of the clock. */
    static String readmeSiu(Instant now, String facility, String controlId, String appointmentId) {
        // `date` in the README runs in the machine's zone; any zone gives a start three days on.
        ZoneId here = ZoneId.of("America/New_York");
        String start = DateTimeFormatter.ofPattern("yyyyMMdd").format(now.plus(Duration.ofDays(3)).atZone(here))
                + "1030";
        String msh = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").format(now.atZone(here));
        return String.join("\r",
                "MSH|^~\\&|EHR|HOSP|CARELINE|CL|" + msh + "||SIU^S12|" + controlId + "|P|2.5",
                "SCH|PL1|" + appointmentId + "|||||ROUTINE|NORMAL|30|MIN|^^30^" + start,
                "NTE|1||Please bring your insurance card",
                "PID|1||MRN1001^^^HOSP^MR||DOE^JANE||19800101|F|||||^PRN^CP^^1^608^2719000||en",
                "RGS|1",
                "AIS|1||CONS^Consultation",
                "AIL|1||ROOM1^^^" + facility,
                "AIP|1||D1^SMITH^ANNA^^^DR") + "\r";
    }

    @Test
    void theExampleIsSentAtOnceAtNightAndGhClinicsBookingWaitsVisibly() throws Exception {
        Path dir = Files.createTempDirectory("careline-pending");
        String dbUrl = "jdbc:h2:file:" + dir.resolve("careline") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Logger ingestLog = (Logger) LoggerFactory.getLogger(SiuIngest.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        ingestLog.addAppender(lines);
        try (EngineFixture engine = EngineFixture.start(Map.of("CARELINE_DB_URL", dbUrl), NIGHT)) {
            try (var mllp = engine.mllp()) {
                assertThat(mllp.send(readmeSiu(NIGHT, "Demo Clinic", "MSG0001", "APT-1001"))).contains("MSA|AA|MSG0001");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (engine.meta.received().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<MetaStub.Received> sent = engine.meta.received();
            assertThat(sent).as("the example's confirmation, sent at 23:00 Detroit time").hasSize(1);
            assertThat(sent.get(0).body()).contains("appointment_confirmation");

            try (var mllp = engine.mllp()) {
                assertThat(mllp.send(readmeSiu(NIGHT, "GH Clinic", "MSG0002", "APT-1002"))).contains("MSA|AA|MSG0002");
            }
            Thread.sleep(1000);
            assertThat(engine.meta.received()).as("nothing goes to GH Clinic's patient inside quiet hours").hasSize(1);
        } finally {
            ingestLog.detachAppender(lines);
        }

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).anyMatch(l -> l.matches("outbox=\\d+ appointment=\\d+ confirmation due now"));
        assertThat(logged).anyMatch(l -> l.matches("outbox=\\d+ appointment=\\d+ confirmation due 2026-12-03T13:00Z: "
                + "quiet hours 21:00\u201308:00 America/Detroit at gh-clinic"));
        assertThat(logged).anyMatch(l -> l.matches("outbox=\\d+ appointment=\\d+ reminder 48h due .*"));
        assertThat(String.join("\n", logged)).doesNotContain("2719000", "DOE", "JANE", "SMITH");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Careline.commandLine(Map.of("CARELINE_DB_URL", dbUrl, "CARELINE_TIMEZONE", "America/New_York"));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("pending", "--site", "gh-clinic")).as(err.toString()).isZero();
        String[] rows = out.toString().split("\n");
        assertThat(rows[0]).startsWith("outbox").contains("due (UTC)", "due (site's zone)", "held");
        assertThat(rows[1]).contains("confirmation", "gh-clinic", "2026-12-03T13:00Z",
                "2026-12-03 08:00 America/Detroit");
        assertThat(rows).hasSize(4); // the confirmation and two reminders, soonest first
        assertThat(rows[2]).contains("reminder 48h");
        assertThat(out.toString()).doesNotContain("2719000", "DOE", "JANE", "demo-clinic");

        StringWriter all = new StringWriter();
        cli.setOut(new PrintWriter(all, true));
        assertThat(cli.execute("pending", "--limit", "2")).isZero();
        assertThat(all.toString().split("\n")).hasSize(3);
        assertThat(cli.execute("pending", "--site", "nowhere")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown site 'nowhere'");
    }
}
