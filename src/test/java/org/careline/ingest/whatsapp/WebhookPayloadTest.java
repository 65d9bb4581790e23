package org.careline.ingest.whatsapp;

import org.careline.model.InboundMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.send.DeliveryStatuses;
import org.careline.support.MetaWebhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reading webhook bodies: the spec's examples, status payloads built after its schema, and bodies that are off. */
class WebhookPayloadTest {

    private static final Instant AT = Instant.parse("2030-03-05T19:00:00Z");

    @Test
    void everyExampleOfTheSpecReadsWithoutProblems() throws Exception {
        assumeTrue(MetaWebhooks.available(), "Cloud API OpenAPI spec not found at " + MetaWebhooks.SPEC);
        for (Map.Entry<String, ObjectNode> example : MetaWebhooks.examples().entrySet()) {
            WebhookPayload.Parsed parsed = WebhookPayload.parse(example.getValue().toString());
            int messages = example.getValue().path("entry").path(0).path("changes").path(0).path("value")
                    .path("messages").size();
            boolean messagesField = "messages".equals(example.getValue().path("entry").path(0).path("changes").path(0)
                    .path("field").asText());
            assertThat(parsed.problems()).as(example.getKey()).isEmpty();
            assertThat(parsed.items()).as(example.getKey()).hasSize(messagesField ? messages : 0)
                    .allMatch(i -> i instanceof WebhookPayload.Message);
            for (WebhookPayload.Item item : parsed.items()) {
                InboundMessage m = ((WebhookPayload.Message) item).message();
                assertThat(m.wamid()).startsWith("wamid.");
                assertThat(m.fromE164()).isEqualTo("+16505551234");
                assertThat(m.sentAt()).isAfter(Instant.parse("2025-01-01T00:00:00Z"));
            }
        }
    }

    @Test
    void builtStatusesUseOnlyTheFieldsOfTheSpecsStatusesSchema() throws Exception {
        assumeTrue(MetaWebhooks.available(), "Cloud API OpenAPI spec not found at " + MetaWebhooks.SPEC);
        JsonNode schemas = MetaWebhooks.spec().path("components").path("schemas");
        ObjectNode sent = MetaWebhooks.status("wamid.A", "sent", AT);
        ObjectNode failed = MetaWebhooks.failed("wamid.A", 131026, "Message undeliverable", AT);
        for (ObjectNode status : List.of(sent, failed)) {
            assertThat(names(status)).isSubsetOf(names(schemas.path("Statuses").path("properties")));
            List<String> required = new ArrayList<>();
            schemas.path("Statuses").path("required").forEach(r -> required.add(r.asText()));
            assertThat(names(status)).containsAll(required);
            assertThat(schemas.path("Statuses").path("properties").path("status").path("enum").toString())
                    .contains("\"" + status.path("status").asText() + "\"");
        }
        assertThat(names(sent.path("conversation"))).isSubsetOf(names(schemas.path("Conversation").path("properties")));
        assertThat(names(sent.path("pricing"))).isSubsetOf(names(schemas.path("Pricing").path("properties")));
        assertThat(names(failed.path("errors").path(0))).isSubsetOf(names(schemas.path("StatusError").path("properties")));
        assertThat(names(MetaWebhooks.statusPayload(sent).path("entry").path(0).path("changes").path(0).path("value")))
                .isSubsetOf(names(schemas.path("StatusMessageValue").path("properties")));
    }

    @Test
    void statusesReadWithTheirErrorCodeAndTitle() throws Exception {
        ObjectNode failed = MetaWebhooks.failed("wamid.B", 131026, "Message undeliverable", AT);
        ObjectNode codeAsText = MetaWebhooks.failed("wamid.C", 131000, "Something went wrong", AT);
        ((ObjectNode) codeAsText.path("errors").path(0)).put("code", "131000");
        ((ObjectNode) codeAsText.path("errors").path(0)).remove("title");
        ObjectNode future = MetaWebhooks.status("wamid.D", "Deleted", AT);
        future.put("timestamp", AT.getEpochSecond()); // a number rather than a string

        List<WebhookPayload.Item> items = WebhookPayload.parse(MetaWebhooks.statusPayload(
                MetaWebhooks.status("wamid.A", "delivered", AT), failed, codeAsText, future).toString()).items();

        assertThat(items).extracting(i -> ((WebhookPayload.Status) i).update()).containsExactly(
                new DeliveryStatuses.Update("wamid.A", "delivered", AT, null, null),
                new DeliveryStatuses.Update("wamid.B", "failed", AT, 131026, "Message undeliverable"),
                new DeliveryStatuses.Update("wamid.C", "failed", AT, 131000, "Something went wrong"),
                new DeliveryStatuses.Update("wamid.D", "deleted", AT, null, null));
    }

    @Test
    void messagesWithoutIdOrSenderAreLeftOutAndNamedByPositionOnly() throws Exception {
        ObjectNode payload = WebhookIntakeTest.textMessage("wamid.OK", "+1 (650) 555-0199");
        var messages = MetaWebhooks.messages(payload);
        messages.add(((ObjectNode) messages.get(0).deepCopy()).put("id", ""));
        messages.add(((ObjectNode) messages.get(0).deepCopy()).put("id", "wamid.NOFROM").put("from", "Jane Doe"));
        messages.add(((ObjectNode) messages.get(0).deepCopy()).put("id", "wamid." + "x".repeat(300)));
        ((ObjectNode) payload.path("entry").path(0).path("changes").path(0).path("value")).putArray("statuses")
                .add(MetaWebhooks.JSON.createObjectNode().put("id", "wamid.S"));

        WebhookPayload.Parsed parsed = WebhookPayload.parse(payload.toString());

        assertThat(parsed.items()).hasSize(1);
        InboundMessage ok = ((WebhookPayload.Message) parsed.items().get(0)).message();
        assertThat(ok.wamid()).isEqualTo("wamid.OK");
        assertThat(ok.fromE164()).isEqualTo("+16505550199");
        assertThat(parsed.problems()).containsExactly(
                "entry[0].changes[0].messages[1]: no usable id",
                "entry[0].changes[0].messages[2]: no usable sender",
                "entry[0].changes[0].messages[3]: no usable id",
                "entry[0].changes[0].statuses[0]: no status");
        assertThat(String.join(" ", parsed.problems())).doesNotContain("Jane");
    }

    @Test
    void typesAreMappedAsTheConversationLogicNeedsThem() throws Exception {
        ObjectNode payload = WebhookIntakeTest.textMessage("wamid.1", "16505550100");
        var messages = MetaWebhooks.messages(payload);
        ObjectNode base = (ObjectNode) messages.get(0).deepCopy();
        base.remove("text");
        ObjectNode location = base.deepCopy().put("id", "wamid.2").put("type", "location");
        location.putObject("location").put("latitude", "51.5").put("longitude", -0.12).put("address", "1 Road");
        ObjectNode nfm = base.deepCopy().put("id", "wamid.3").put("type", "interactive");
        nfm.putObject("interactive").put("type", "nfm_reply").putObject("nfm_reply").put("response_json", "{}");
        ObjectNode removedReaction = base.deepCopy().put("id", "wamid.4").put("type", "reaction");
        removedReaction.putObject("reaction").put("message_id", "wamid.OURS");
        ObjectNode noType = base.deepCopy().put("id", "wamid.5");
        noType.remove("type");
        ObjectNode image = base.deepCopy().put("id", "wamid.6").put("type", "image");
        image.putObject("image").put("caption", "my rash").put("id", "123");
        messages.add(location).add(nfm).add(removedReaction).add(noType).add(image);

        List<InboundMessage> read = WebhookPayload.parse(payload.toString()).items().stream()
                .map(i -> ((WebhookPayload.Message) i).message()).toList();

        assertThat(read).extracting(InboundMessage::type, InboundMessage::text, InboundMessage::payload,
                InboundMessage::contextWamid, InboundMessage::latitude, InboundMessage::longitude)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("text", "Yes, see you then", null, null, null, null),
                        org.assertj.core.groups.Tuple.tuple("location", "1 Road", null, null, 51.5, -0.12),
                        org.assertj.core.groups.Tuple.tuple("interactive", null, null, null, null, null),
                        org.assertj.core.groups.Tuple.tuple("reaction", null, null, "wamid.OURS", null, null),
                        org.assertj.core.groups.Tuple.tuple("unknown", null, null, null, null, null),
                        org.assertj.core.groups.Tuple.tuple("image", null, null, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"object\":\"whatsapp_business_account\",\"entry\":[", "Jane Doe 555-0100", "{} {}",
            "{\"a\":\"Jane\" \"b\":1}", ""})
    void bodiesThatAreNotJsonAreRefusedWithoutQuotingThem(String body) {
        assertThatThrownBy(() -> WebhookPayload.parse(body))
                .isInstanceOf(WebhookPayload.MalformedPayloadException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Jane", "555", "whatsapp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"text\"", "null"})
    void jsonThatIsNotAnObjectHasNothingToProcess(String body) throws Exception {
        WebhookPayload.Parsed parsed = WebhookPayload.parse(body);
        assertThat(parsed.items()).isEmpty();
        assertThat(parsed.problems()).containsExactly("not a JSON object");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
