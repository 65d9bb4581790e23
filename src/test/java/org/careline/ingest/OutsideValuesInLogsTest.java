package org.careline.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.MetaWebhooks;
import org.careline.support.MllpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, findings 3 and 6, through real requests: a value from outside with CR/LF in it forges no log line, and
 * a malicious MSH-9 or MSH-12 is logged only as "unknown" with its length. The engine's log is slf4j-simple's
 * System.err, captured for the whole class.
 */
class OutsideValuesInLogsTest {

    private static final Instant NOW = Instant.now();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        originalErr = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                originalErr.write(b);
                synchronized (LOG) {
                    LOG.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                originalErr.write(b, off, len);
                synchronized (LOG) {
                    LOG.write(b, off, len);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        fx = EngineFixture.start(Map.of(), NOW);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (fx != null) {
                fx.close();
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    private static String log() {
        synchronized (LOG) {
            return LOG.toString(StandardCharsets.UTF_8);
        }
    }

    /** Every line of the log starts as slf4j-simple starts its lines (a thread name in brackets), or is a trace. */
    private static void assertNoLineStartsWith(String forged) {
        assertThat(Arrays.stream(log().split("\r\n|\r|\n|\u2028|\u2029|\u0085")))
                .noneMatch(line -> line.startsWith(forged));
    }

    @Test
    void aWamidWithCrLfForgesNoLogLine() {
        String wamid = "wamid.HBgL\r\n[main] ERROR org.careline.Forged - FORGED-BY-WAMID\u2028FORGED-TOO";
        ObjectNode payload = MetaWebhooks.textMessage(wamid, "16505550100", NOW.minusSeconds(5));
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("FORGED-BY-WAMID"));
        assertNoLineStartsWith("[main] ERROR org.careline.Forged");
        assertNoLineStartsWith("FORGED-TOO");
        assertThat(log()).contains("wamid.HBgL\\r\\n[main] ERROR org.careline.Forged - FORGED-BY-WAMID\\u2028FORGED-TOO");
    }

    @Test
    void aMaliciousMessageTypeIsLoggedAsUnknown() throws Exception {
        String evil = "EVIL\u0085[main] ERROR forged-by-msh9";
        String msg = "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305140000||" + evil + "^Z99|CTRL-MSH9-1|P|2.5\r"
                + "PID|1||MRN1^^^HOSP^MR||Roe^Ann\r";
        try (MllpClient mllp = fx.mllp()) {
            String ack = mllp.send(msg);
            assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AR");
        }
        // The AR is sent after its log line is written: the log is complete here.
        assertThat(log()).doesNotContain("forged-by-msh9").doesNotContain("EVIL");
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("control=CTRL-MSH9-1"));
        String line = Arrays.stream(log().split("\n")).filter(l -> l.contains("control=CTRL-MSH9-1")).findFirst()
                .orElseThrow();
        assertThat(line).contains("HL7 unknown(len=" + (evil.length() + 4) + ") version=2.5")
                .doesNotContain("EVIL").doesNotContain("forged-by-msh9");
    }

    @Test
    void aMaliciousVersionIsLoggedAsUnknown() throws Exception {
        String version = "9.9<b>evil</b>";
        String msg = "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305140000||SIU^S12|CTRL-MSH12-1|P|" + version + "\r"
                + "PID|1||MRN1^^^HOSP^MR||Roe^Ann\r";
        try (MllpClient mllp = fx.mllp()) {
            String ack = mllp.send(msg);
            assertThat(MllpClient.field(ack, "MSA", 1)).isEqualTo("AR");
        }
        // Before, the line quoted it with only its punctuation replaced ("9.9?b?evil??b?").
        assertThat(log()).doesNotContain("evil");
        await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("control=CTRL-MSH12-1"));
        String line = Arrays.stream(log().split("\n")).filter(l -> l.contains("control=CTRL-MSH12-1")).findFirst()
                .orElseThrow();
        assertThat(line).contains("HL7 SIU^S12 version=unknown(len=" + version.length() + ")")
                .contains("MSH-12 not accepted")
                .doesNotContain("evil");
    }
}
