package org.careline.results;

import com.fasterxml.jackson.databind.JsonNode;
import org.careline.config.MappingException;
import org.careline.config.ResultsMapping;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaStub;
import org.careline.support.MllpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * results.yaml documents.attachPdf: an MDM^T02 of a listed document type that carries its PDF (OBX value type ED)
 * → the PDF is uploaded to the Cloud API's /media (multipart) and sent as the document_attached template's
 * document header. Unlisted types, the default (empty) list, or no PDF → the plain document_available notice.
 */
class DocumentPdfFlowTest {

    private static final ZoneId DETROIT = ZoneId.of("America/Detroit");
    private static final Instant NOW = ZonedDateTime.of(2030, 3, 5, 14, 0, 0, 0, DETROIT).toInstant();
    private static final String PORTAL = "https://portal.example.org/results";
    private static final String MOBILE = "^PRN^CP^^1^608^2719000";
    private static final String MEDIA_PATH = "/v23.0/" + EngineFixture.PHONE_NUMBER_ID + "/media";
    private static final String MESSAGES_PATH = "/v23.0/" + EngineFixture.PHONE_NUMBER_ID + "/messages";
    /** A small PDF with binary bytes (all 256 values), so the upload is checked byte for byte. */
    private static final byte[] PDF = pdf();

    @TempDir
    Path work;

    private EngineFixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static byte[] pdf() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /Catalog >> endobj\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 256; i++) {
            out.write(i);
        }
        out.writeBytes("\ntrailer << /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** An engine with mappings/ as shipped, or with documents.attachPdf set to {@code attachPdf}. */
    private void start(String attachPdf) throws Exception {
        start(attachPdf, Map.of());
    }

    private void start(String attachPdf, Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CARELINE_PORTAL_LINK_SECRET", "document-pdf-portal-secret-32byte",
                "CARELINE_PORTAL_URL", PORTAL));
        env.putAll(extra);
        if (attachPdf != null) {
            env.put("CARELINE_MAPPINGS_DIR", mappingsWith(attachPdf).toString());
        }
        fx = EngineFixture.start(env, NOW);
    }

    private Path mappingsWith(String attachPdf) throws IOException {
        Path dir = work.resolve("mappings");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path results = dir.resolve("results.yaml");
        String text = Files.readString(results);
        assertThat(text).contains("  attachPdf: []\n");
        Files.writeString(results, text.replace("  attachPdf: []\n", "  attachPdf: " + attachPdf + "\n"));
        return dir;
    }

    /** An MDM^T02 of {@code type} (TXA-2), signed (AU), with {@code obx5} as an ED observation (or none). */
    private static String mdm(String mrn, String documentId, String type, String obx5) {
        StringBuilder m = new StringBuilder(String.join("\r",
                "MSH|^~\\&|DOCS|GH Clinic|CARELINE|CL|20300305140000||MDM^T02^MDM_T02|" + UUID.randomUUID() + "|P|2.5",
                "EVN|T02|20300305140000",
                "PID|1||" + mrn + "^^^HOSP^MR||DOE^JANE||19800101|F|||||" + MOBILE + "||en",
                "PV1|1|O",
                "TXA|1|" + type + "|AP|20300305130000||||||||" + documentId + "|||||AU||AV"));
        if (obx5 != null) {
            m.append("\rOBX|1|ED|PDF^Document||").append(obx5).append("||||||F");
        }
        return m.toString();
    }

    private static String appPdf() {
        return "^application^pdf^Base64^" + Base64.getEncoder().encodeToString(PDF);
    }

    private void accepted(String message) throws Exception {
        try (MllpClient c = fx.mllp()) {
            assertThat(MllpClient.field(c.send(message), "MSA", 1)).isEqualTo("AA");
        }
    }

    private List<MetaStub.Received> uploads() {
        return fx.meta.received().stream().filter(MetaStub.Received::isMediaUpload).toList();
    }

    private List<MetaStub.Received> sends() {
        return fx.meta.received().stream().filter(r -> !r.isMediaUpload()).toList();
    }

    @Test
    void listedTypeWithPdfIsUploadedAsMultipartThenSentAsTheTemplatesDocumentHeader() throws Exception {
        start("[RECEIPT]");
        accepted(mdm("MRN1", "DOC-1", "RECEIPT", appPdf()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);

        List<MetaStub.Received> all = fx.meta.received();
        assertThat(all).hasSize(2);
        MetaStub.Received upload = all.get(0);
        assertThat(upload.method()).isEqualTo("POST");
        assertThat(upload.path()).isEqualTo(MEDIA_PATH);
        assertThat(upload.header("Authorization")).isEqualTo("Bearer " + EngineFixture.TOKEN);
        Map<String, Part> parts = multipart(upload);
        assertThat(parts.get("messaging_product").text()).isEqualTo("whatsapp");
        assertThat(parts.get("type").text()).isEqualTo("application/pdf");
        Part file = parts.get("file");
        assertThat(file.headers()).containsIgnoringCase("filename=\"receipt.pdf\"")
                .containsIgnoringCase("Content-Type: application/pdf");
        assertThat(file.bytes()).isEqualTo(PDF);

        MetaStub.Received send = all.get(1);
        assertThat(send.path()).isEqualTo(MESSAGES_PATH);
        JsonNode template = send.json().path("template");
        assertThat(template.path("name").asText()).isEqualTo("document_available_pdf");
        JsonNode header = template.path("components").get(0);
        assertThat(header.path("type").asText()).isEqualTo("header");
        JsonNode document = header.path("parameters").get(0);
        assertThat(document.path("type").asText()).isEqualTo("document");
        String stored = (String) fx.query("SELECT media_id FROM document_attachment").get(0).get("MEDIA_ID");
        assertThat(stored).isNotBlank();
        assertThat(document.path("document").path("id").asText()).isEqualTo(stored);
        assertThat(document.path("document").path("filename").asText()).isEqualTo("receipt.pdf");
        assertThat(template.path("components").get(1).path("type").asText()).isEqualTo("body");
        List<String> params = Flow.bodyParameters(send);
        assertThat(params.subList(0, 2)).containsExactly("Jane", "GH Clinic");
        assertThat(params.get(2)).startsWith(PORTAL + "/v1.");
        assertThat(send.body()).doesNotContain("DOE", "MRN1", "DOC-1");
        assertThat(fx.query("SELECT kind FROM outbox").get(0)).containsEntry("KIND", "DOCUMENT_ATTACHED");
    }

    @Test
    void sourceApPdfFormAndLowerCaseTypesAreAccepted() throws Exception {
        start("[receipt]");
        String b64 = Base64.getEncoder().encodeToString(PDF);
        accepted(mdm("MRN2", "DOC-2", "RECEIPT", "BILLING^AP^PDF^Base64^" + b64));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        assertThat(uploads()).hasSize(1);
        assertThat(multipart(uploads().get(0)).get("file").bytes()).isEqualTo(PDF);
        assertThat(sends().get(0).json().path("template").path("name").asText()).isEqualTo("document_available_pdf");
    }

    @Test
    void sendFailingAfterTheUploadIsRetriedWithTheSameMediaId() throws Exception {
        start("[RECEIPT]");
        accepted(mdm("MRN3", "DOC-3", "RECEIPT", null)); // no PDF: the plain notice
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        assertThat(sends().get(0).json().path("template").path("name").asText()).isEqualTo("document_available");
        assertThat(uploads()).isEmpty();
        fx.meta.clear();

        // Upload answered by default; the first template send gets a retryable error.
        fx.meta.replyNext(200, "{\"id\":\"555000111\"}");
        fx.meta.replyNext(503, MetaStub.graphError(131000, "Something went wrong"));
        accepted(mdm("MRN3", "DOC-4", "RECEIPT", appPdf()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        fx.clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 2);
        assertThat(uploads()).hasSize(1);
        for (MetaStub.Received send : sends()) {
            assertThat(send.json().path("template").path("components").get(0).path("parameters").get(0)
                    .path("document").path("id").asText()).isEqualTo("555000111");
        }
        // The stand-in has answered; the dispatcher records that answer just after.
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(
                fx.query("SELECT status FROM outbox WHERE kind = 'DOCUMENT_ATTACHED'").get(0).get("STATUS")));
        assertThat(fx.query("SELECT status, attempts FROM outbox WHERE kind = 'DOCUMENT_ATTACHED'").get(0))
                .containsEntry("STATUS", "SENT").containsEntry("ATTEMPTS", 2);
    }

    @Test
    void defaultMappingsSendThePlainNoticeWithoutUpload() throws Exception {
        start(null);
        accepted(mdm("MRN4", "DOC-5", "RECEIPT", appPdf()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        Flow.awaitIdle(fx);
        assertThat(uploads()).isEmpty();
        assertThat(fx.meta.received()).hasSize(1);
        JsonNode template = sends().get(0).json().path("template");
        assertThat(template.path("name").asText()).isEqualTo("document_available");
        assertThat(template.path("components")).hasSize(1);
        assertThat(fx.count("SELECT COUNT(*) FROM document_attachment")).isZero();
    }

    @Test
    void unlistedClinicalTypeWithPdfIsNeverUploaded() throws Exception {
        start("[RECEIPT]");
        accepted(mdm("MRN5", "DOC-6", "DS", appPdf()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        Flow.awaitIdle(fx);
        assertThat(uploads()).isEmpty();
        assertThat(sends().get(0).json().path("template").path("name").asText()).isEqualTo("document_available");
        assertThat(sends().get(0).body()).doesNotContain(Base64.getEncoder().encodeToString(PDF).substring(0, 20));
        assertThat(fx.count("SELECT COUNT(*) FROM document_attachment")).isZero();
    }

    @Test
    void notAPdfOrTooLargeFallsBackToThePlainNotice() throws Exception {
        start("[RECEIPT]");
        String notPdf = Base64.getEncoder().encodeToString("hello, not a pdf".getBytes(StandardCharsets.US_ASCII));
        accepted(mdm("MRN6", "DOC-7", "RECEIPT", "^application^pdf^Base64^" + notPdf));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        Flow.awaitIdle(fx);
        assertThat(uploads()).isEmpty();
        assertThat(sends().get(0).json().path("template").path("name").asText()).isEqualTo("document_available");
        assertThat(DocumentPdf.fromBase64(Base64.getEncoder().encodeToString(new byte[DocumentPdf.MAX_BYTES + 1]),
                "RECEIPT")).isEmpty();
        byte[] big = new byte[DocumentPdf.MAX_BYTES + 1];
        System.arraycopy(PDF, 0, big, 0, 4);
        assertThat(DocumentPdf.fromBase64(Base64.getEncoder().encodeToString(big), "RECEIPT")).isEmpty();
        assertThat(DocumentPdf.fromBase64(Base64.getEncoder().encodeToString(PDF), "Receipt 2")
                .orElseThrow().filename()).isEqualTo("document.pdf");
    }

    @Test
    void retryableUploadFailureIsRetriedAndNoTemplateGoesBeforeTheUploadSucceeds() throws Exception {
        start("[RECEIPT]");
        fx.meta.replyNext(503, MetaStub.graphError(2, "Service temporarily unavailable"));
        accepted(mdm("MRN7", "DOC-8", "RECEIPT", appPdf()));
        await().atMost(Duration.ofSeconds(10)).until(() -> uploads().size() == 1);
        Flow.awaitIdle(fx);
        assertThat(sends()).isEmpty();
        assertThat(fx.query("SELECT status, attempts, error_code FROM outbox").get(0))
                .containsEntry("STATUS", "PENDING").containsEntry("ATTEMPTS", 1).containsEntry("ERROR_CODE", 2);
        assertThat(fx.query("SELECT media_id FROM document_attachment").get(0).get("MEDIA_ID")).isNull();

        fx.clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> sends().size() == 1);
        List<MetaStub.Received> all = fx.meta.received();
        assertThat(all).extracting(MetaStub.Received::isMediaUpload).containsExactly(true, true, false);
        assertThat(multipart(all.get(1)).get("file").bytes()).isEqualTo(PDF);
        String mediaId = (String) fx.query("SELECT media_id FROM document_attachment").get(0).get("MEDIA_ID");
        assertThat(all.get(2).json().path("template").path("components").get(0).path("parameters").get(0)
                .path("document").path("id").asText()).isEqualTo(mediaId);
    }

    @Test
    void theBuiltInSandboxAnswersTheUploadToo() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("WHATSAPP_ACCESS_TOKEN", null); // sandbox mode
        start("[RECEIPT]", env);
        assertThat(fx.settings.sandbox()).isTrue();
        accepted(mdm("MRN8", "DOC-9", "RECEIPT", appPdf()));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "SENT".equals(fx.query("SELECT status FROM outbox").get(0).get("STATUS")));
        assertThat((String) fx.query("SELECT media_id FROM document_attachment").get(0).get("MEDIA_ID"))
                .startsWith("sandbox-media-");
        assertThat(fx.meta.received()).isEmpty();
    }

    @Test
    void attachPdfIsValidatedAtStart() throws Exception {
        Path dir = mappingsWith("[DS]");
        String text = Files.readString(dir.resolve("results.yaml"));
        // A type in a sensitive category can never be sent as a PDF.
        Files.writeString(dir.resolve("results.yaml"), text.replace("    sections: [GE]\n",
                "    sections: [GE]\n    documentTypes: [DS]\n"));
        assertThatThrownBy(() -> ResultsMapping.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageContaining("documents.attachPdf[0]").hasMessageContaining("genetics");
        Files.writeString(dir.resolve("results.yaml"), text.replace("attachPdf: [DS]", "attachPdf: [\"a b\"]"));
        assertThatThrownBy(() -> ResultsMapping.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageContaining("documents.attachPdf[0]");
        Files.writeString(dir.resolve("results.yaml"), text);
        assertThat(ResultsMapping.load(dir).documentAttachPdf()).containsExactly("DS");
        assertThat(ResultsMapping.load(Path.of("mappings")).documentAttachPdf()).isEmpty();
    }

    /** One part of a multipart/form-data body: its header lines and its bytes. */
    record Part(String headers, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The parts of a multipart/form-data request by name, read byte for byte (ISO-8859-1 maps bytes 1:1). */
    static Map<String, Part> multipart(MetaStub.Received r) {
        String contentType = r.header("Content-Type");
        assertThat(contentType).startsWith("multipart/form-data").contains("boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9).replace("\"", "");
        int semi = boundary.indexOf(';');
        if (semi >= 0) {
            boundary = boundary.substring(0, semi);
        }
        String body = new String(r.raw(), StandardCharsets.ISO_8859_1);
        Map<String, Part> parts = new LinkedHashMap<>();
        String delimiter = "--" + boundary;
        String[] chunks = body.split(java.util.regex.Pattern.quote(delimiter), -1);
        for (int i = 1; i < chunks.length; i++) {
            String chunk = chunks[i];
            if (chunk.startsWith("--")) {
                break; // the closing delimiter
            }
            int headerEnd = chunk.indexOf("\r\n\r\n");
            String headers = chunk.substring(2, headerEnd);
            String content = chunk.substring(headerEnd + 4, chunk.length() - 2); // CRLF before the next delimiter
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            assertThat(name.find()).isTrue();
            parts.put(name.group(1), new Part(headers, content.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return parts;
    }
}
