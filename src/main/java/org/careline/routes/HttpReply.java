package org.careline.routes;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * What the HTTP beans (webhooks, FHIR notifications) answer with, and how they compare a shared secret: the
 * answer carries none of the request's headers back and never an exception's text; secrets are compared as
 * SHA-256 digests of equal length, so the comparison takes the same time for any value.
 */
public final class HttpReply {

    private HttpReply() {
    }

    public static void answer(Exchange exchange, int status, String contentType, String body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setBody(body);
    }

    /** The digest to keep of a configured secret (null stays null: nothing configured). */
    public static byte[] digest(String secret) {
        if (secret == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code given} is the secret whose digest is {@code expected}; false when either is missing. */
    public static boolean sameSecret(String given, byte[] expected) {
        return given != null && expected != null && MessageDigest.isEqual(digest(given), expected);
    }

    /**
     * A request header as the client sent it, once. Camel's HTTP server copies query parameters into the same headers,
     * so {@code ?X-Hub-Signature-256=…} would pass for the header: a value whose name is also in the query is not
     * trusted (null), nor is one given twice (issue 14, finding 6).
     */
    public static String requestHeader(Message in, String name) {
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null) {
            for (String pair : query.split("&")) {
                String key = java.net.URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (key.equalsIgnoreCase(name)) {
                    return null;
                }
            }
        }
        Object v = in.getHeader(name);
        return v instanceof String s ? s : null;
    }
}
