package org.careline.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** One JSON object per line, whatever the message holds; an exception by its class only. */
class JsonLineLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String layout(String message, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", context.getLogger("org.careline.send.Dispatcher"), Level.WARN, message,
                thrown, null);
        e.setThreadName("dispatch-1");
        JsonLineLayout layout = new JsonLineLayout();
        layout.setContext(context);
        layout.start();
        return layout.doLayout(e);
    }

    @Test
    void aLineHoldsTheFields() throws Exception {
        String line = layout("outbox=12 retry 1 at 2026-11-01T10:00:00Z (131000)", null);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        JsonNode j = JSON.readTree(line);
        assertThat(j.get("level").asText()).isEqualTo("WARN");
        assertThat(j.get("logger").asText()).isEqualTo("org.careline.send.Dispatcher");
        assertThat(j.get("thread").asText()).isEqualTo("dispatch-1");
        assertThat(j.get("message").asText()).isEqualTo("outbox=12 retry 1 at 2026-11-01T10:00:00Z (131000)");
        assertThat(j.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)");
        assertThat(j.has("exception")).isFalse();
    }

    @Test
    void anExceptionIsItsClassNeverItsMessageOrStack() throws Exception {
        String line = layout("HL7 message could not be processed",
                new SQLException("value 'DOE^JANE' violates a constraint"));
        assertThat(line).doesNotContain("DOE").doesNotContain("at org.").doesNotContain("violates");
        assertThat(JSON.readTree(line).get("exception").asText()).isEqualTo("java.sql.SQLException");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"line<LF>break", "carriage<CR>return", "tab<TAB>here", "quote\"back\\slash", "sep<LS>arator",
            "nul<NUL>x"})
    void noMessageBreaksTheLine(String written) throws Exception {
        // control characters written by name: a raw one would end the CSV line
        String message = written.replace("<LF>", "\n").replace("<CR>", "\r").replace("<TAB>", "\t")
                .replace("<LS>", "\u2028").replace("<NUL>", "\u0000");
        String line = layout(message, null);
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).doesNotContain("\r").doesNotContain("\u2028");
        assertThat(JSON.readTree(line).get("message").asText()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "json, careline-log-json.xml",
            "JSON, careline-log-json.xml",
            "' json ', careline-log-json.xml",
            "text, careline-log-text.xml",
            "null, careline-log-text.xml",
            "yaml, careline-log-text.xml"})
    void theFormatFollowsTheVariable(String value, String file) {
        assertThat(LogConfigurator.fileFor(value)).isEqualTo(file);
    }
}
