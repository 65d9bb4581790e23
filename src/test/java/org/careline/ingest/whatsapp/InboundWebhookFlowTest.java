package org.careline.ingest.whatsapp;

import org.careline.model.InboundMessage;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.careline.support.EngineFixture;
import org.careline.support.Flow;
import org.careline.support.MetaWebhooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Patients' messages from signed webhook POSTs to inbound_reply, contact_preference and the inbound message sink:
 * every inbound example of the Cloud API description, batches, and exactly one effect per wamid however often and
 * however concurrently it arrives. One engine for the class; each test uses its own wamids and numbers.
 */
class InboundWebhookFlowTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static final Set<String> EXAMPLES_WITHOUT_MESSAGES = Set.of("Group Create Message", "Group Settings Update",
            "Group Remove Participants");

    private static EngineFixture fx;
    /** Every call of the sink, in order. */
    private static final List<InboundMessage> SINK_CALLS = new CopyOnWriteArrayList<>();
    /** wamids whose next sink call throws (once). */
    private static final Set<String> FAIL_ONCE = ConcurrentHashMap.newKeySet();
    private static int phones = 0;

    @BeforeAll
    static void start() throws Exception {
        fx = EngineFixture.start(Map.of(), NOW);
        // The conversation logic will be bound under this name; here a recorder takes its place.
        fx.engine.camelContext().getRegistry().bind("inboundMessageSink", InboundMessageSink.class,
                (InboundMessageSink) (c, message, replyId, now) -> {
                    if (FAIL_ONCE.remove(message.wamid())) {
                        throw new IllegalStateException("sink failure for the test");
                    }
                    assertThat(replyId).isPositive();
                    SINK_CALLS.add(message);
                });
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @BeforeEach
    void settle() {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE processed_at IS NULL") == 0);
    }

    /** Expected results per inbound example of the spec (values as the examples have them). */
    static Stream<Arguments> inboundExamples() {
        return Stream.of(
                Arguments.of("Text Message", "text", "Does it come in another color?", null, null),
                Arguments.of("Text Message with Context (Product Inquiry)", "text", "Is this still available?", null,
                        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA"),
                Arguments.of("Text Message from Click to WhatsApp Ad", "text", "Hello! Can I get more info on this?",
                        null, null),
                Arguments.of("Reaction Message", "reaction", "\uD83D\uDC4D", null,
                        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJEOTc2ODVERUY5RDlGNkYA"),
                Arguments.of("Image Message", "image", null, null, null),
                Arguments.of("Location Message", "location", "Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301", null,
                        null),
                Arguments.of("Contact Sharing Message", "contacts", null, null, null),
                Arguments.of("Unsupported Message", "unsupported", null, null, null),
                Arguments.of("Button Message", "button", "Unsubscribe", "Unsubscribe",
                        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2OTMwNEZCQjhGMzUyQUYA"),
                Arguments.of("Interactive List Reply Message", "interactive", "Priority Mail Express", "priority_express",
                        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGMzEyNzhENTZDMzNGODlDRDgA"),
                Arguments.of("Interactive Button Reply Message", "interactive", "Cancel", "cancel-button",
                        "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA"),
                Arguments.of("Order Message", "order", null, null, null),
                Arguments.of("System Message", "system", null, null, null));
    }

    @Test
    void everyInboundExampleOfTheSpecIsCoveredHere() {
        assumeTrue(MetaWebhooks.available(), "Cloud API OpenAPI spec not found at " + MetaWebhooks.SPEC);
        Set<String> covered = new java.util.HashSet<>(EXAMPLES_WITHOUT_MESSAGES);
        inboundExamples().forEach(a -> covered.add((String) a.get()[0]));
        assertThat(covered).containsExactlyInAnyOrderElementsOf(MetaWebhooks.examples().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inboundExamples")
    void eachInboundExampleIsStoredWithItsTypeTextPayloadAndContext(String example, String type, String text,
                                                                    String payload, String context) throws Exception {
        assumeTrue(MetaWebhooks.available(), "Cloud API OpenAPI spec not found at " + MetaWebhooks.SPEC);
        String from = nextPhone();
        Instant sentAt = NOW.minusSeconds(90);
        ObjectNode body = MetaWebhooks.patchMessages(MetaWebhooks.example(example), from, sentAt);
        String wamid = MetaWebhooks.messages(body).path(0).path("id").asText();

        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);

        Map<String, Object> row = awaitReply(wamid);
        assertThat(row).containsEntry("MESSAGE_TYPE", type).containsEntry("CONTENT", text)
                .containsEntry("PAYLOAD", payload).containsEntry("CONTEXT_WAMID", context)
                .containsEntry("FROM_PHONE", "+" + from);
        assertThat(Flow.instant(row.get("SENT_AT"))).isEqualTo(sentAt);
        if ("location".equals(type)) {
            assertThat((Double) row.get("LATITUDE")).isCloseTo(37.44221496582, within(1e-9));
            assertThat((Double) row.get("LONGITUDE")).isCloseTo(-122.16165924072, within(1e-9));
        } else {
            assertThat(row).containsEntry("LATITUDE", null).containsEntry("LONGITUDE", null);
        }
        assertThat(row.get("DELIVERY_ID")).isNotNull();

        // The sink got the same message, once, in the transaction that stored it.
        List<InboundMessage> calls = sinkCalls(wamid);
        assertThat(calls).hasSize(1);
        InboundMessage m = calls.get(0);
        assertThat(m).extracting(InboundMessage::fromE164, InboundMessage::type, InboundMessage::text,
                InboundMessage::payload, InboundMessage::contextWamid, InboundMessage::sentAt)
                .containsExactly("+" + from, type, text, payload, context, sentAt);
        // The message opened the 24-hour window for the number.
        assertThat(Flow.instant(fx.query("SELECT last_inbound_at FROM contact_preference WHERE phone_e164 = ?",
                "+" + from).get(0).get("LAST_INBOUND_AT"))).isEqualTo(sentAt);
        assertThat(deliveryOf(wamid)).containsEntry("ERROR", null);
    }

    @Test
    void examplesWithoutMessagesAreProcessedAndChangeNothing() throws Exception {
        assumeTrue(MetaWebhooks.available(), "Cloud API OpenAPI spec not found at " + MetaWebhooks.SPEC);
        long replies = fx.count("SELECT COUNT(*) FROM inbound_reply");
        for (String name : EXAMPLES_WITHOUT_MESSAGES) {
            assertThat(MetaWebhooks.post(fx, MetaWebhooks.example(name)).status()).as(name).isEqualTo(200);
        }
        settle();
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply")).isEqualTo(replies);
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE error IS NOT NULL AND body LIKE '%group%'"))
                .isZero();
    }

    @Test
    void aBatchOfEntriesChangesMessagesAndStatusesIsHandledWhole() throws Exception {
        String a = nextPhone();
        String b = nextPhone();
        List<String> wamids = new ArrayList<>();
        ObjectNode payload = MetaWebhooks.JSON.createObjectNode().put("object", "whatsapp_business_account");
        ArrayNode entries = payload.putArray("entry");
        for (int e = 0; e < 2; e++) {
            ArrayNode changes = entries.addObject().put("id", "41956125791547" + e).putArray("changes");
            ObjectNode value = changes.addObject().put("field", "messages").putObject("value");
            value.put("messaging_product", "whatsapp");
            ArrayNode messages = value.putArray("messages");
            for (int m = 0; m < 3; m++) {
                String wamid = MetaWebhooks.newWamid();
                wamids.add(wamid);
                ObjectNode message = messages.addObject().put("from", e == 0 ? a : b).put("id", wamid)
                        .put("timestamp", String.valueOf(NOW.minusSeconds(60 - m).getEpochSecond()));
                if (m == 1) {
                    message.put("type", "button");
                    message.putObject("button").put("text", "Confirm").put("payload", "CONFIRM");
                } else {
                    message.put("type", "text");
                    message.putObject("text").put("body", "message " + e + "." + m);
                }
            }
            ArrayNode statuses = value.putArray("statuses");
            statuses.add(MetaWebhooks.status("wamid.UNKNOWN-BATCH-" + e, "sent", NOW));
            statuses.add(MetaWebhooks.status("wamid.UNKNOWN-BATCH-" + e, "delivered", NOW));
            // A second change in the same entry, with only a status.
            changes.addObject().put("field", "messages").putObject("value").put("messaging_product", "whatsapp")
                    .putArray("statuses").add(MetaWebhooks.status("wamid.UNKNOWN-BATCH-" + e, "read", NOW));
            // A change of another field is skipped.
            changes.addObject().put("field", "group_lifecycle_update").putObject("value").putArray("messages")
                    .addObject().put("from", a).put("id", MetaWebhooks.newWamid()).put("type", "text");
        }

        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> fx.count("SELECT COUNT(*) FROM message_status "
                + "WHERE wamid LIKE 'wamid.UNKNOWN-BATCH-%'") == 6);
        for (String wamid : wamids) {
            assertThat(awaitReply(wamid).get("DELIVERY_ID")).isEqualTo(deliveryOf(wamids.get(0)).get("ID"));
            assertThat(sinkCalls(wamid)).hasSize(1);
        }
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE from_phone IN (?, ?)", "+" + a, "+" + b))
                .isEqualTo(6);
        assertThat(fx.query("SELECT content, payload FROM inbound_reply WHERE wamid = ?", wamids.get(4)).get(0))
                .containsEntry("CONTENT", "Confirm").containsEntry("PAYLOAD", "CONFIRM");
        assertThat(deliveryOf(wamids.get(0))).containsEntry("ERROR", null).containsEntry("ATTEMPTS", 1);
        // Each sender's window starts at their latest message.
        assertThat(Flow.instant(fx.query("SELECT last_inbound_at FROM contact_preference WHERE phone_e164 = ?",
                "+" + b).get(0).get("LAST_INBOUND_AT"))).isEqualTo(NOW.minusSeconds(58));
    }

    @Test
    void theSameDeliveryTwiceAndTheSameWamidInOtherDeliveriesHaveOneEffect() throws Exception {
        String from = nextPhone();
        String wamid = MetaWebhooks.newWamid();
        ObjectNode payload = WebhookIntakeTest.textMessage(wamid, from);
        byte[] body = MetaWebhooks.bytes(payload);

        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        // Another delivery (Meta's retry with other surroundings) carrying the same message.
        ((ObjectNode) payload.path("entry").path(0)).put("id", "999999999999999");
        ArrayNode messages = (ArrayNode) payload.path("entry").path(0).path("changes").path(0).path("value")
                .path("messages");
        String other = MetaWebhooks.newWamid();
        messages.addObject().put("from", from).put("id", other).put("timestamp",
                String.valueOf(NOW.getEpochSecond())).put("type", "text").putObject("text").put("body", "and this");
        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        settle();
        // Days later.
        fx.clock.advance(Duration.ofDays(3));
        assertThat(MetaWebhooks.post(fx, body).status()).isEqualTo(200);
        settle();

        // The identical body is stored once (issue 14, finding 6: it was stored each time it came); the other
        // delivery carrying the same message is a body of its own.
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body LIKE ?", "%" + wamid + "%")).isEqualTo(2);
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body LIKE ? AND processed_at IS NOT NULL "
                + "AND error IS NULL", "%" + wamid + "%")).isEqualTo(2);
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", wamid)).isEqualTo(1);
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", other)).isEqualTo(1);
        assertThat(sinkCalls(wamid)).hasSize(1);
        assertThat(sinkCalls(other)).hasSize(1);
    }

    @Test
    void deliveriesProcessedConcurrentlyStillHaveOneEffectPerWamid() throws Exception {
        String from = nextPhone();
        List<String> shared = List.of(MetaWebhooks.newWamid(), MetaWebhooks.newWamid(), MetaWebhooks.newWamid());
        fx.engine.camelContext().getRouteController().stopRoute("webhook-processor");
        try {
            for (int d = 0; d < 8; d++) {
                ObjectNode payload = WebhookIntakeTest.textMessage(shared.get(0), from);
                ArrayNode messages = (ArrayNode) payload.path("entry").path(0).path("changes").path(0).path("value")
                        .path("messages");
                for (String wamid : shared.subList(1, 3)) {
                    messages.add(((ObjectNode) messages.get(0).deepCopy()).put("id", wamid));
                }
                ((ObjectNode) payload).put("copy", d); // each delivery's body differs
                assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
            }
            WebhookProcessor processor = fx.engine.camelContext().getRegistry()
                    .lookupByNameAndType("webhookProcessor", WebhookProcessor.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<WebhookProcessor.Round>> rounds = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    rounds.add(pool.submit(() -> {
                        go.await();
                        return processor.processPending();
                    }));
                }
                go.countDown();
                for (Future<WebhookProcessor.Round> r : rounds) {
                    r.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            fx.engine.camelContext().getRouteController().startRoute("webhook-processor");
        }
        // Anything that lost a race on a lock is retried after its backoff.
        fx.clock.advance(Duration.ofMinutes(1));
        settle();
        for (String wamid : shared) {
            assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", wamid)).as(wamid).isEqualTo(1);
            assertThat(sinkCalls(wamid)).as(wamid).hasSize(1);
        }
        assertThat(fx.count("SELECT COUNT(*) FROM webhook_delivery WHERE body LIKE ? AND processed_at IS NOT NULL "
                + "AND (error IS NULL OR error NOT LIKE 'gave up%')", "%" + shared.get(0) + "%")).isEqualTo(8);
    }

    @Test
    void aMessageWhoseSinkFailsIsRolledBackAndTriedAgainLaterWithoutRepeatingTheOthers() throws Exception {
        String from = nextPhone();
        String first = MetaWebhooks.newWamid();
        String failing = MetaWebhooks.newWamid();
        ObjectNode payload = WebhookIntakeTest.textMessage(first, from);
        ArrayNode messages = (ArrayNode) payload.path("entry").path(0).path("changes").path(0).path("value")
                .path("messages");
        messages.add(((ObjectNode) messages.get(0).deepCopy()).put("id", failing));
        FAIL_ONCE.add(failing);

        assertThat(MetaWebhooks.post(fx, payload).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> (Integer) deliveryOf(first).get("ATTEMPTS") == 1);
        Map<String, Object> delivery = deliveryOf(first);
        assertThat(delivery).containsEntry("PROCESSED_AT", null);
        assertThat((String) delivery.get("ERROR")).contains(failing, "IllegalStateException").doesNotContain("Yes");
        assertThat(Flow.instant(delivery.get("NEXT_ATTEMPT_AT"))).isAfter(NOW);
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", failing)).isZero();
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", first)).isEqualTo(1);

        fx.clock.advance(Duration.ofMinutes(1)); // past the backoff
        settle();
        assertThat(deliveryOf(first)).containsEntry("ATTEMPTS", 2).containsEntry("ERROR", null);
        assertThat(fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", failing)).isEqualTo(1);
        assertThat(sinkCalls(first)).hasSize(1);
        assertThat(sinkCalls(failing)).hasSize(1);
    }

    @Test
    void theWindowStartsAtTheLatestMessageWhateverTheOrderTheyArriveIn() throws Exception {
        String from = nextPhone();
        String newer = MetaWebhooks.newWamid();
        String older = MetaWebhooks.newWamid();
        ObjectNode first = WebhookIntakeTest.textMessage(newer, from);
        ((ObjectNode) MetaWebhooks.messages(first).get(0)).put("timestamp", String.valueOf(NOW.minusSeconds(10).getEpochSecond()));
        ObjectNode second = WebhookIntakeTest.textMessage(older, from);
        ((ObjectNode) MetaWebhooks.messages(second).get(0)).put("timestamp", String.valueOf(NOW.minusSeconds(600).getEpochSecond()));

        assertThat(MetaWebhooks.post(fx, first).status()).isEqualTo(200);
        awaitReply(newer);
        assertThat(MetaWebhooks.post(fx, second).status()).isEqualTo(200);
        awaitReply(older);
        settle();
        Map<String, Object> pref = fx.query("SELECT * FROM contact_preference WHERE phone_e164 = ?", "+" + from).get(0);
        assertThat(Flow.instant(pref.get("LAST_INBOUND_AT"))).isEqualTo(NOW.minusSeconds(10));
        assertThat(pref).containsEntry("OPTED_OUT", false);
    }

    private static String nextPhone() {
        return "1650555" + String.format("%04d", ++phones);
    }

    private static Map<String, Object> awaitReply(String wamid) throws SQLException {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fx.count("SELECT COUNT(*) FROM inbound_reply WHERE wamid = ?", wamid) == 1);
        return fx.query("SELECT * FROM inbound_reply WHERE wamid = ?", wamid).get(0);
    }

    private static Map<String, Object> deliveryOf(String wamid) throws SQLException {
        List<Map<String, Object>> rows = fx.query("SELECT * FROM webhook_delivery WHERE body LIKE ? ORDER BY id",
                "%" + wamid + "%");
        assertThat(rows).isNotEmpty();
        return rows.get(0);
    }

    private static List<InboundMessage> sinkCalls(String wamid) {
        return SINK_CALLS.stream().filter(m -> m.wamid().equals(wamid)).toList();
    }
}
