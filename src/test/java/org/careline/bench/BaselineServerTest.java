package org.careline.bench;

import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import org.careline.support.Siu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The baseline's ACKs come from HAPI, whose control-id counter is kept in the bench's directory, not the checkout. */
class BaselineServerTest {

    @Test
    void hapiKeepsItsAckCounterInTheStateDirectory(@TempDir Path state) throws Exception {
        Path idFile = Path.of("id_file").toAbsolutePath();
        String before = Files.exists(idFile) ? Files.readString(idFile) : null;

        try (HapiContext hapi = BaselineServer.hapi(state)) {
            PipeParser parser = hapi.getPipeParser();
            Message in = parser.parse(Siu.booking(Instant.parse("2030-03-08T15:00:00Z")).build());
            String first = new Terser(in.generateACK()).get("/MSH-10");
            String second = new Terser(in.generateACK()).get("/MSH-10");

            assertThat(first).isNotBlank();
            assertThat(second).isNotBlank().isNotEqualTo(first);
        }
        assertThat(state.resolve("id_file")).exists();
        if (before == null) {
            assertThat(idFile).doesNotExist();
        } else {
            assertThat(Files.readString(idFile)).isEqualTo(before);
        }
    }
}
