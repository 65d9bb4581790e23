package org.careline.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in stand-in for the Cloud API, used when no WHATSAPP_ACCESS_TOKEN is set: answers a send as Meta does
 * (contacts + messages[].id) so a new user sees the whole flow without a Meta account. Logs ids only.
 */
public final class SandboxCloudApi {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxCloudApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicLong sent = new AtomicLong();

    public void answer(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode request;
        try {
            request = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            request = null;
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (request == null || !request.path("to").isTextual() || !"whatsapp".equals(request.path("messaging_product").asText())) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            exchange.getMessage().setBody("{\"error\":{\"message\":\"(#100) Invalid parameter\",\"type\":\"OAuthException\","
                    + "\"code\":100,\"fbtrace_id\":\"sandbox\"}}");
            return;
        }
        String wamid = "wamid.SANDBOX" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ObjectNode reply = JSON.createObjectNode();
        reply.put("messaging_product", "whatsapp");
        ObjectNode contact = reply.putArray("contacts").addObject();
        contact.put("input", request.path("to").asText());
        contact.put("wa_id", request.path("to").asText());
        reply.putArray("messages").addObject().put("id", wamid);
        long n = sent.incrementAndGet();
        LOG.info("sandbox: accepted {} message #{} template={} wamid={}", request.path("type").asText(), n,
                request.path("template").path("name").asText("-"), wamid);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setBody(reply.toString());
    }

    /**
     * Answers a media upload (multipart/form-data with a file part) as Meta does: {"id": "<media id>"}. Reads
     * nothing of the file but its size; logs the id only.
     */
    public void answerMedia(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")
                || body == null || body.length == 0) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            exchange.getMessage().setBody("{\"error\":{\"message\":\"(#100) Invalid parameter\","
                    + "\"type\":\"OAuthException\",\"code\":100,\"fbtrace_id\":\"sandbox\"}}");
            return;
        }
        String id = "sandbox-media-" + UUID.randomUUID();
        LOG.info("sandbox: accepted media upload ({} bytes) id={}", body.length, id);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setBody("{\"id\":\"" + id + "\"}");
    }
}
