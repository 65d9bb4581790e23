package org.careline.send;

import org.careline.model.TemplateSpec;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.careline.send.CloudApiOutcome.PauseSending;
import org.careline.send.CloudApiOutcome.Permanent;
import org.careline.send.CloudApiOutcome.Retryable;
import org.careline.send.CloudApiOutcome.Sent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks our request and response handling against the examples in Meta's OpenAPI description of the Cloud API
 * (facebook/openapi, v23.0). The file sits outside the project; without it these tests are skipped.
 */
class CloudApiShapeTest {

    private static final Path SPEC = Path.of("../shared/oracles/whatsapp/business-messaging-api_v23.0.yaml");
    private static final String SEND_PATH = "/{Version}/{Phone-Number-ID}/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How each Graph error code found in the spec's examples must be handled, by what it means. */
    private static final Map<Integer, Class<? extends CloudApiOutcome>> EXPECTED_BY_CODE = Map.ofEntries(
            Map.entry(190, PauseSending.class),     // invalid/expired access token
            Map.entry(368, PauseSending.class),     // temporarily blocked for policy violations
            Map.entry(104, PauseSending.class),     // access token missing
            Map.entry(1, Retryable.class),          // unknown error
            Map.entry(2, Retryable.class),          // service temporarily unavailable
            Map.entry(4, Retryable.class),          // application rate limit
            Map.entry(80007, Retryable.class),      // WABA rate limit
            Map.entry(130429, Retryable.class),     // throughput limit
            Map.entry(100, Permanent.class),        // invalid parameter
            Map.entry(131026, Permanent.class),     // undeliverable
            Map.entry(131047, Permanent.class),     // re-engagement window
            Map.entry(132000, Permanent.class),     // the spec's "TemplateNotFound" example uses this code
            Map.entry(132001, Permanent.class));    // template does not exist

    private static JsonNode spec;

    @BeforeAll
    static void loadSpec() throws IOException {
        specOrNull();
    }

    /** The spec, read once (~1 MB) for all tests of the package; null when the file is absent. */
    static synchronized JsonNode specOrNull() throws IOException {
        if (spec == null && Files.isRegularFile(SPEC)) {
            spec = new YAMLMapper().readTree(SPEC.toFile());
        }
        return spec;
    }

    @BeforeEach
    void requireSpec() {
        // Per test rather than in @BeforeAll, so a missing file shows up as skipped tests in the report.
        assumeTrue(spec != null, "Cloud API OpenAPI spec not found at " + SPEC.toAbsolutePath());
    }

    @Test
    void renderedTemplateUsesOnlyFieldsOfTheSpecsTemplateExamples() {
        ObjectNode ours = new TemplateRenderer().render(
                new TemplateSpec("appointment_reminder", "en_US", Map.of("es", "es"), List.of("patient", "when")),
                "+14155550123", "es-MX", Map.of("patient", "Ana", "when", "3 March, 10:30"));
        assertShapedLikeTemplateExamples(ours);
    }

    @Test
    void freeFormRepliesUseOnlyFieldsOfTheSpecsExamplesOfTheirType() {
        ReplyRenderer replies = new ReplyRenderer();
        assertShapedLikeExamplesOfType(replies.text("+14155550123", "Thank you.\nSee you soon."), "text");
        assertShapedLikeExamplesOfType(replies.location("+14155550123",
                ReplyRenderer.locationBody(42.2808, -83.743, "GH Clinic", "1000 Hospital Lane")), "location");
    }

    /** Like {@link #assertShapedLikeTemplateExamples} for the spec's request examples of another message type. */
    static void assertShapedLikeExamplesOfType(JsonNode ours, String type) {
        assertThat(spec).as("Cloud API OpenAPI spec").isNotNull();
        JsonNode post = resolve(spec.path("paths").path(SEND_PATH).path("post"));
        Set<String> theirPaths = new HashSet<>();
        Set<String> theirKeys = new HashSet<>();
        int examples = 0;
        for (JsonNode example : examplesOf(resolve(post.path("requestBody"))).values()) {
            if (type.equals(example.path("type").asText())) {
                collectPaths(example, "", theirPaths);
                collectKeys(example, theirKeys);
                examples++;
            }
        }
        assertThat(examples).as("request examples of type %s", type).isPositive();
        Set<String> ourPaths = new TreeSet<>();
        collectPaths(ours, "", ourPaths);
        Set<String> ourKeys = new TreeSet<>();
        collectKeys(ours, ourKeys);
        assertThat(theirPaths).as("field paths of %s examples", type).containsAll(ourPaths);
        assertThat(theirKeys).containsAll(ourKeys);
    }

    /**
     * Asserts that a template send request uses only field paths (with their JSON types) and keys that the spec's
     * template request examples use, including text body parameters. Needs {@link #specOrNull()} to be non-null.
     */
    static void assertShapedLikeTemplateExamples(JsonNode ours) {
        assertThat(spec).as("Cloud API OpenAPI spec").isNotNull();
        List<JsonNode> examples = templateRequestExamples();
        assertThat(examples).as("template examples with text body parameters").isNotEmpty();

        Set<String> theirPaths = new HashSet<>();
        Set<String> theirKeys = new HashSet<>();
        examples.forEach(example -> {
            collectPaths(example, "", theirPaths);
            collectKeys(example, theirKeys);
        });
        Set<String> ourPaths = new TreeSet<>();
        collectPaths(ours, "", ourPaths);
        Set<String> ourKeys = new TreeSet<>();
        collectKeys(ours, ourKeys);

        assertThat(ourPaths).contains("template.components[].parameters[].text:string",
                "template.language.code:string", "to:string");
        assertThat(theirPaths).containsAll(ourPaths);
        assertThat(theirKeys).containsAll(ourKeys);
    }

    /**
     * A template with a document header (documents.attachPdf) is shaped like the spec's template-with-media
     * example (a header component whose parameter names its media type, before the body's text parameters), and
     * its document object uses only fields of the spec's "send document by id" examples.
     */
    @Test
    void templateWithDocumentHeaderIsShapedLikeTheSpecsTemplateMediaExample() {
        ObjectNode ours = new TemplateRenderer().render(
                new TemplateSpec("document_available_pdf", "en_US", Map.of("es", "es"),
                        List.of("patient_first_name", "facility_name", "portal_link")),
                "+14155550123", "es", Map.of("patient_first_name", "Ana", "facility_name", "GH Clinic",
                        "portal_link", "https://portal.example.org/results/v1.x.1.y"),
                new TemplateRenderer.DocumentHeader("1234567890", "receipt.pdf"));
        JsonNode components = ours.path("template").path("components");
        assertThat(components.get(0).path("type").asText()).isEqualTo("header");
        assertThat(components.get(1).path("type").asText()).isEqualTo("body");

        JsonNode post = resolve(spec.path("paths").path(SEND_PATH).path("post"));
        Map<String, JsonNode> all = examplesOf(resolve(post.path("requestBody")));
        // The spec's template examples with a media header (image, video or document parameter).
        List<JsonNode> mediaTemplates = new ArrayList<>();
        for (JsonNode example : all.values()) {
            for (JsonNode component : example.path("template").path("components")) {
                if ("header".equals(component.path("type").asText())) {
                    String type = component.path("parameters").path(0).path("type").asText();
                    if (Set.of("image", "video", "document").contains(type)
                            && component.path("parameters").path(0).path(type).isObject()) {
                        mediaTemplates.add(example);
                    }
                }
            }
        }
        assertThat(mediaTemplates).as("template examples with a media header").isNotEmpty();
        // Ours with the media object written generically: template.components[].parameters[].<media>:object.
        Set<String> ourPaths = new TreeSet<>();
        collectPaths(ours, "", ourPaths);
        Set<String> ourShape = generic(ourPaths);
        Set<String> theirShape = new HashSet<>();
        for (JsonNode example : mediaTemplates) {
            Set<String> paths = new HashSet<>();
            collectPaths(example, "", paths);
            theirShape.addAll(generic(paths));
        }
        assertThat(theirShape).as("shape of the spec's template-with-media examples").containsAll(ourShape);
        assertThat(ourShape).contains("template.components[].parameters[].<media>:object");

        // The document object itself: only fields the spec's document-by-id examples use, id and filename given.
        Set<String> documentKeys = new HashSet<>();
        for (JsonNode example : all.values()) {
            if ("document".equals(example.path("type").asText()) && example.path("document").has("id")) {
                example.path("document").fieldNames().forEachRemaining(documentKeys::add);
            }
        }
        JsonNode document = components.get(0).path("parameters").path(0).path("document");
        Set<String> ourKeys = new TreeSet<>();
        document.fieldNames().forEachRemaining(ourKeys::add);
        assertThat(ourKeys).containsExactlyInAnyOrder("id", "filename");
        assertThat(documentKeys).as("fields of the spec's document-by-id examples").containsAll(ourKeys);
        assertThat(components.get(0).path("parameters").path(0).path("type").asText()).isEqualTo("document");
    }

    /** Field paths with a header media parameter's name replaced by "<media>" (its contents dropped). */
    private static Set<String> generic(Set<String> paths) {
        Set<String> out = new TreeSet<>();
        String prefix = "template.components[].parameters[].";
        for (String p : paths) {
            String g = p;
            for (String media : List.of("image", "video", "document")) {
                if (p.startsWith(prefix + media + ".")) {
                    g = null; // the media object's contents: checked against the document examples
                    break;
                }
                if (p.startsWith(prefix + media + ":")) {
                    g = prefix + "<media>" + p.substring((prefix + media).length());
                }
            }
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    @Test
    void recipientIsWrittenLikeTheSpecsConcreteNumbers() {
        List<String> concrete = new ArrayList<>();
        for (JsonNode example : templateRequestExamples()) {
            String to = example.path("to").asText();
            if (!to.contains("{")) { // skip '{{Recipient-Phone-Number}}' placeholders
                concrete.add(to);
            }
        }
        // The spec shows both "+16505551234" and "16315555555"; we send the bare digits form.
        assertThat(concrete).isNotEmpty().allMatch(to -> to.matches("\\+?\\d+"));
        assertThat(concrete).anyMatch(to -> to.matches("\\d+"));

        ObjectNode ours = new TemplateRenderer().render(new TemplateSpec("hello_world", "en_US", null, null),
                "+16315555555", null, Map.of());
        assertThat(ours.path("to").asText()).isEqualTo("16315555555");
    }

    @Test
    void sendMessageSuccessExamplesClassifyAsSent() throws IOException {
        JsonNode post = resolve(spec.path("paths").path(SEND_PATH).path("post"));
        assertThat(post.path("operationId").asText()).isEqualTo("sendMessage");
        Map<String, JsonNode> examples = examplesOf(resolve(post.path("responses").path("200")));
        assertThat(examples).isNotEmpty();

        int sends = 0;
        for (Map.Entry<String, JsonNode> example : examples.entrySet()) {
            JsonNode value = example.getValue();
            CloudApiOutcome outcome = CloudApiResponses.classify(200, JSON.writeValueAsString(value));
            if (!value.has("messages")) {
                // e.g. the read-receipt/typing-indicator answer {"success": true}: no message was created
                assertThat(outcome).as(example.getKey()).isInstanceOf(Permanent.class);
                continue;
            }
            String id = value.path("messages").path(0).path("id").asText();
            assertThat(id).as(example.getKey()).startsWith("wamid.");
            assertThat(outcome).as(example.getKey()).isEqualTo(new Sent(id));
            sends++;
        }
        assertThat(sends).isGreaterThan(10);
    }

    @Test
    void sharedGraphErrorExamplesClassifyByTheirCode() throws IOException {
        Map<String, Integer> statusByResponse = statusesOfSharedResponses();
        Set<Class<?>> seen = new HashSet<>();
        int checked = 0;
        Iterator<Map.Entry<String, JsonNode>> responses = spec.path("components").path("responses").fields();
        while (responses.hasNext()) {
            Map.Entry<String, JsonNode> response = responses.next();
            if (response.getValue().has("$ref")) {
                continue; // an alias of another shared response, which is checked under its own name
            }
            for (Map.Entry<String, JsonNode> example : examplesOf(response.getValue()).entrySet()) {
                JsonNode error = example.getValue().path("error");
                if (!error.path("code").isInt()) {
                    continue; // not a Graph error (e.g. a success payload)
                }
                Integer status = statusByResponse.get(response.getKey());
                assertThat(status).as("HTTP status of components.responses." + response.getKey()).isNotNull();
                String label = response.getKey() + "/" + example.getKey() + " (HTTP " + status + ", code "
                        + error.path("code").intValue() + ")";
                CloudApiOutcome outcome = classifyWithoutException(status, example.getValue(), label);
                assertThat(outcome).as(label).isInstanceOf(expected(status, error.path("code").intValue()));
                seen.add(outcome.getClass());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
        assertThat(seen).as("the spec's shared examples cover every kind of failure")
                .contains(PauseSending.class, Retryable.class, Permanent.class);
    }

    @Test
    void everyGraphErrorExampleInTheSpecClassifiesSafely() throws IOException {
        int checked = 0;
        for (JsonNode pathItem : iterable(spec.path("paths").elements())) {
            for (JsonNode operation : iterable(resolve(pathItem).elements())) {
                for (Map.Entry<String, JsonNode> response : iterable(operation.path("responses").fields())) {
                    if (!response.getKey().matches("[45]\\d\\d")) {
                        continue;
                    }
                    int status = Integer.parseInt(response.getKey());
                    for (Map.Entry<String, JsonNode> example : examplesOf(resolve(response.getValue())).entrySet()) {
                        JsonNode code = example.getValue().path("error").path("code");
                        if (!code.isInt()) {
                            continue;
                        }
                        String label = example.getKey() + " (HTTP " + status + ", code " + code.intValue() + ")";
                        CloudApiOutcome outcome = classifyWithoutException(status, example.getValue(), label);
                        assertThat(outcome).as(label).isInstanceOf(expected(status, code.intValue()));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("Graph error examples found under paths").isGreaterThan(50);
    }

    /**
     * Table first; codes the table does not know are handled by status: 401 pauses (our credentials), 429/5xx
     * retry, other 4xx fail.
     */
    private static Class<? extends CloudApiOutcome> expected(int status, int code) {
        Class<? extends CloudApiOutcome> byCode = EXPECTED_BY_CODE.get(code);
        if (byCode != null) {
            return byCode;
        }
        if (status == 401) {
            return PauseSending.class;
        }
        return status == 429 || status >= 500 ? Retryable.class : Permanent.class;
    }

    private static CloudApiOutcome classifyWithoutException(int status, JsonNode body, String label)
            throws IOException {
        String json = JSON.writeValueAsString(body);
        CloudApiOutcome[] outcome = new CloudApiOutcome[1];
        assertThatCode(() -> outcome[0] = CloudApiResponses.classify(status, json)).as(label).doesNotThrowAnyException();
        assertThat(outcome[0]).as(label).isNotInstanceOf(Sent.class);
        String reason = CloudApiResponsesTest.reasonOf(outcome[0]);
        assertThat(reason).as(label).isNotBlank().hasSizeLessThanOrEqualTo(500).doesNotContainPattern("\\d{8}");
        return outcome[0];
    }

    /** Named request examples of sendMessage that send a template with text body parameters. */
    private static List<JsonNode> templateRequestExamples() {
        JsonNode post = resolve(spec.path("paths").path(SEND_PATH).path("post"));
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode example : examplesOf(resolve(post.path("requestBody"))).values()) {
            if (!"template".equals(example.path("type").asText())) {
                continue;
            }
            for (JsonNode component : example.path("template").path("components")) {
                boolean textParameter = false;
                for (JsonNode parameter : component.path("parameters")) {
                    textParameter |= "text".equals(parameter.path("type").asText()) && parameter.path("text").isTextual();
                }
                if ("body".equals(component.path("type").asText()) && textParameter) {
                    found.add(example);
                    break;
                }
            }
        }
        return found;
    }

    /** The example values of a request body or response, by name, with $refs followed. */
    private static Map<String, JsonNode> examplesOf(JsonNode bodyOrResponse) {
        Map<String, JsonNode> examples = new LinkedHashMap<>();
        for (JsonNode media : iterable(resolve(bodyOrResponse).path("content").elements())) {
            for (Map.Entry<String, JsonNode> example : iterable(resolve(media).path("examples").fields())) {
                JsonNode value = resolve(example.getValue()).path("value");
                if (!value.isMissingNode()) {
                    examples.put(example.getKey(), value);
                }
            }
            if (media.has("example")) {
                examples.put("example", media.get("example"));
            }
        }
        return examples;
    }

    /**
     * HTTP status of each shared response, from the operations that use it; a response no operation uses
     * (NotFound in v23.0) gets the status its name stands for.
     */
    private static Map<String, Integer> statusesOfSharedResponses() {
        Map<String, Integer> statuses = new HashMap<>(Map.of("BadRequest", 400, "Unauthorized", 401,
                "Forbidden", 403, "NotFound", 404, "TooManyRequests", 429, "InternalServerError", 500));
        String prefix = "#/components/responses/";
        for (JsonNode pathItem : iterable(spec.path("paths").elements())) {
            for (JsonNode operation : iterable(resolve(pathItem).elements())) {
                for (Map.Entry<String, JsonNode> response : iterable(operation.path("responses").fields())) {
                    String ref = response.getValue().path("$ref").asText();
                    if (ref.startsWith(prefix) && response.getKey().matches("\\d{3}")) {
                        statuses.put(ref.substring(prefix.length()), Integer.parseInt(response.getKey()));
                    }
                }
            }
        }
        return statuses;
    }

    /** Follows local $refs ("#/components/…"), including chains of them. */
    private static JsonNode resolve(JsonNode node) {
        for (int hops = 0; node.has("$ref") && hops < 20; hops++) {
            String ref = node.get("$ref").asText();
            assertThat(ref).as("only local $refs are expected").startsWith("#/");
            node = spec.at(JsonPointer.compile(URLDecoder.decode(ref.substring(1), StandardCharsets.UTF_8)));
            assertThat(node.isMissingNode()).as("dangling $ref " + ref).isFalse();
        }
        return node;
    }

    /** Every field path with its JSON type, arrays written as "[]": "template.components[].type:string". */
    private static void collectPaths(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                out.add(child + ":" + field.getValue().getNodeType().name().toLowerCase());
                collectPaths(field.getValue(), child, out);
            });
        } else if (node.isArray()) {
            String child = path + "[]";
            node.forEach(element -> {
                out.add(child + ":" + element.getNodeType().name().toLowerCase());
                collectPaths(element, child, out);
            });
        }
    }

    private static void collectKeys(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> out.add(field.getKey()));
        }
        node.forEach(child -> collectKeys(child, out));
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }
}
