package org.careline.results;

import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.util.Terser;
import org.careline.ingest.hl7.Hl7Receiver;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every ORU in ../shared/corpus/hl7/ over a real MLLP connection. Each gets a fresh MSH-10 and a mobile number in
 * PID-13 (most have none), so notices are really sent; the test then checks the ACK and that no OBX-5 value, no
 * OBR-4 text (component 2) and no NTE-3 text of that message appears in anything the Cloud API stand-in received.
 */
class OruCorpusTest {

    private static final Path CORPUS = Path.of("../shared/corpus/hl7");
    private static final String PORTAL = "https://portal.example.org/results";
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        if (Files.isDirectory(CORPUS)) {
            // Noon in the default site's zone (the fixture's America/New_York): outside quiet hours, so notices go at once.
            fx = EngineFixture.start(Map.of("CARELINE_PORTAL_LINK_SECRET", "corpus-portal-secret-of-32-bytes"),
                    java.time.ZonedDateTime.of(2030, 3, 5, 12, 0, 0, 0, java.time.ZoneId.of("America/New_York"))
                            .toInstant());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusOruIsAcknowledgedAndNoClinicalTextReachesTheCloudApi() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "shared corpus absent");
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.getFileName().toString().matches("oru-.*\\.hl7")).sorted().toList();
        }
        assumeTrue(!files.isEmpty(), "no ORU in the corpus");
        return Stream.concat(files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f))),
                // The checks above mean something only if notices were really sent.
                Stream.of(DynamicTest.dynamicTest("result notices were sent", () -> assertThat(fx.meta.received())
                        .anySatisfy(r -> assertThat(r.json().path("template").path("name").asText())
                                .isEqualTo("results_available")))));
    }

    private void check(Path file) throws Exception {
        String message = prepare(Files.readString(file, StandardCharsets.UTF_8));
        Set<String> forbidden = clinicalTexts(message);
        int before = fx.meta.received().size();
        String ack;
        try (MllpClient c = fx.mllp()) {
            ack = c.send(message);
        }
        String controlId = message.split("\r")[0].split("\\|", -1)[9];
        assertThat(MllpClient.field(ack, "MSA", 2)).isEqualTo(controlId);
        // AA, unless the message lacks what every ORU needs: a patient id (PID-3, else PID-2) or an order (OBR): AE.
        assertThat(MllpClient.field(ack, "MSA", 1)).as("ACK of %s: %s", file, ack).isEqualTo(expectedAck(message));
        Flow.awaitIdle(fx);
        List<MetaStub.Received> sent = fx.meta.received();
        for (MetaStub.Received r : sent.subList(before, sent.size())) {
            // The portal link's token is random base64url, which could contain a short value by chance; it is
            // checked separately (format, signature) in ResultsFlowTest/PortalLinkTest, so it is blanked here.
            String body = r.body().replaceAll("https://portal\\.example\\.org/results/v1\\.[A-Za-z0-9_.-]+", "<link>");
            for (String text : forbidden) {
                assertThat(body).as("%s: clinical text sent", file.getFileName()).doesNotContain(text);
            }
        }
    }

    private static String expectedAck(String message) {
        boolean order = false;
        boolean patientId = false;
        for (String seg : message.split("\r")) {
            String[] f = seg.split("\\|", -1);
            order |= f[0].equals("OBR");
            if (f[0].equals("PID")) {
                for (int i : new int[]{2, 3}) {
                    patientId |= f.length > i && !f[i].split("\\^", -1)[0].isBlank();
                }
            }
        }
        return order && patientId ? "AA" : "AE";
    }

    /** CR separators, no BOM, a fresh MSH-10 and a mobile number in PID-13. */
    private static String prepare(String raw) {
        String text = raw.replace("\uFEFF", "").replace("\r\n", "\r").replace('\n', '\r').strip();
        List<String> out = new ArrayList<>();
        for (String seg : text.split("\r")) {
            if (seg.isBlank()) {
                continue;
            }
            if (seg.startsWith("MSH")) {
                seg = setField(seg, 9, "CORPUS-" + UUID.randomUUID());
            } else if (seg.startsWith("PID")) {
                seg = setField(seg, 13, "^PRN^CP^^1^608^2719000");
            }
            out.add(seg);
        }
        return String.join("\r", out);
    }

    private static String setField(String segment, int index, String value) {
        List<String> f = new ArrayList<>(List.of(segment.split("\\|", -1)));
        while (f.size() <= index) {
            f.add("");
        }
        f.set(index, value);
        return String.join("|", f);
    }

    /**
     * Every OBX-5 (each component), OBR-4.2 and NTE-3 value, read with HAPI from the message as the engine parses
     * it. Values shorter than 3 characters and purely numeric ones (e.g. "20", "30.1") are left out: they could
     * collide with parts of dates, ids or the phone number without being a leak.
     */
    private static Set<String> clinicalTexts(String message) throws Exception {
        Message parsed = new Hl7Receiver().parse(message.getBytes(StandardCharsets.UTF_8)).message();
        List<Segment> segments = new ArrayList<>();
        collect(parsed, segments);
        Set<String> values = new LinkedHashSet<>();
        for (Segment s : segments) {
            switch (s.getName()) {
                case "OBX" -> addAll(values, s, 5, 0);
                case "OBR" -> addAll(values, s, 4, 2);
                case "NTE" -> addAll(values, s, 3, 0);
                default -> { }
            }
        }
        values.removeIf(v -> v.length() < 3 || v.matches("[-+<>]?[0-9.,\\s]+%?"));
        return values;
    }

    /** Component {@code comp} of every repetition (0: every component). */
    private static void addAll(Set<String> values, Segment s, int field, int comp) throws Exception {
        if (field > s.numFields()) {
            return;
        }
        Type[] reps = s.getField(field);
        for (int r = 0; r < reps.length; r++) {
            int from = comp == 0 ? 1 : comp;
            int to = comp == 0 ? 20 : comp;
            for (int c = from; c <= to; c++) {
                String v;
                try {
                    v = Terser.get(s, field, r, c, 1);
                } catch (Exception e) {
                    break;
                }
                if (v != null && !v.isBlank()) {
                    values.add(v.trim());
                }
            }
        }
    }

    private static void collect(Group g, List<Segment> out) throws Exception {
        for (String name : g.getNames()) {
            for (Structure s : g.getAll(name)) {
                if (s instanceof Segment seg) {
                    out.add(seg);
                } else if (s instanceof Group child) {
                    collect(child, out);
                }
            }
        }
    }
}
