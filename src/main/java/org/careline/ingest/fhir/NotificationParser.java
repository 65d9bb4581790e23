package org.careline.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.ingest.fhir.FhirNotification.Event;
import org.careline.ingest.fhir.FhirNotification.Kind;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one HTTP request received under /fhir/ into what changed. Three real shapes:
 * <ul>
 *   <li>R4 query-based rest-hook with payload (HAPI): {@code PUT /Appointment/1} carrying the resource,
 *       {@code DELETE /Appointment/1} for deletes;</li>
 *   <li>R4 rest-hook without payload: an empty POST to the endpoint (a ping: search for changes since the last
 *       sync);</li>
 *   <li>Subscriptions R5 Backport IG: a POSTed history Bundle whose first entry is the subscription status, a
 *       {@code Parameters} in R4 or a {@code SubscriptionStatus} in R4B.</li>
 * </ul>
 * The envelope is read as a JSON tree (XML is turned into one by HAPI's R4 parser first), because R4 structures
 * cannot parse an R4B SubscriptionStatus; only whole resources go through HAPI's R4 model. Pure: no I/O, no logging.
 */
public final class NotificationParser {

    /** The resource types Careline accepts at /fhir/{type}/{id}. */
    public static final Set<String> ACCEPTED_TYPES = Set.of("Appointment", "DiagnosticReport", "Consent");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");
    /** [base/]Type/id[/_history/vid], the base being anything up to the type. */
    private static final Pattern REFERENCE =
            Pattern.compile("(?:.*/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/([A-Za-z0-9\\-.]{1,64}))?/?");

    /** Deepest XML element nesting accepted; real notifications stay under 20, HAPI overflows a stack at ~2,000. */
    static final int MAX_XML_DEPTH = 200;
    private static final XMLInputFactory XML_INPUT = xmlInput();

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final ObjectMapper json = new ObjectMapper();

    private enum Format { JSON, XML }

    /**
     * @param method      the HTTP method
     * @param path        the path below /fhir, e.g. "/Appointment/123", "/" or ""; a query string is ignored
     * @param contentType the Content-Type header, or null
     * @param body        the request body, or null
     */
    public FhirNotification parse(String method, String path, String contentType, byte[] body)
            throws FhirInputException {
        String m = method == null ? "" : method.trim().toUpperCase(Locale.ROOT);
        String p = path == null ? "" : path.replaceFirst("\\?.*$", "");
        String[] segments = p.replaceAll("^/+|/+$", "").split("/+");
        boolean root = segments.length == 1 && segments[0].isEmpty();
        boolean empty = body == null || new String(body, StandardCharsets.UTF_8).isBlank();

        if (root) {
            if (!m.equals("POST")) {
                throw new FhirInputException("Only POST is accepted at the endpoint itself", 405);
            }
            return empty ? new FhirNotification(Kind.PING, null, null, null, List.of(), null, Map.of())
                    : bundle(tree(contentType, body));
        }
        if (segments.length != 2) {
            throw new FhirInputException("Path must be /{resourceType}/{id} or the endpoint itself", 400);
        }
        String type = segments[0];
        String id = segments[1];
        if (!ACCEPTED_TYPES.contains(type)) {
            throw new FhirInputException("Resource type " + safeType(type) + " is not accepted; accepted: "
                    + String.join(", ", sorted(ACCEPTED_TYPES)), 400);
        }
        if (!ID.matcher(id).matches()) {
            throw new FhirInputException("Path id is not a valid FHIR id", 400);
        }
        return switch (m) {
            case "DELETE" -> new FhirNotification(Kind.RESOURCE_DELETED, null, null, null,
                    List.of(new Event(null, type + "/" + id, null)), null, Map.of());
            case "PUT" -> {
                if (empty) {
                    throw new FhirInputException("PUT " + type + "/" + id + " has no body");
                }
                yield changed(type, id, tree(contentType, body));
            }
            default -> throw new FhirInputException("Method " + safeType(m) + " is not accepted at /" + type
                    + "/{id}; accepted: PUT, DELETE", 405);
        };
    }

    /** A PUT body: the resource named by the path, with the same id when it states one. */
    private FhirNotification changed(String type, String id, JsonNode body) throws FhirInputException {
        String bodyType = body.path("resourceType").asText("");
        if (!bodyType.equals(type)) {
            throw new FhirInputException("Body is a " + safeType(bodyType) + ", but the path names a " + type);
        }
        String bodyId = text(body.get("id"));
        if (bodyId != null && !bodyId.equals(id)) {
            throw new FhirInputException("Body id does not match the path id " + id);
        }
        Resource resource = resource(body);
        if (resource == null) {
            throw new FhirInputException("Body is not a valid R4 " + type);
        }
        if (resource instanceof org.hl7.fhir.r4.model.Consent consent) {
            // A Consent that says nothing readable is refused now (400), not retried from the server later.
            java.util.Optional<String> problem = FhirConsentMapper.problem(consent);
            if (problem.isPresent()) {
                throw new FhirInputException(problem.get());
            }
        }
        if (bodyId == null) {
            resource.setId(type + "/" + id);
        }
        String version = text(body.path("meta").get("versionId"));
        return new FhirNotification(Kind.RESOURCE_CHANGED, null, null, null,
                List.of(new Event(null, type + "/" + id, version)), null, Map.of(type + "/" + id, resource));
    }

    /** A topic-based notification bundle (R4 Backport IG or R4B). */
    private FhirNotification bundle(JsonNode b) throws FhirInputException {
        String rt = b.path("resourceType").asText("");
        if (!rt.equals("Bundle")) {
            throw new FhirInputException("POST body is a " + safeType(rt) + ", not a subscription notification Bundle");
        }
        String bundleType = b.path("type").asText("");
        if (!bundleType.equals("history") && !bundleType.equals("subscription-notification")) {
            throw new FhirInputException("Bundle type must be history (R4) or subscription-notification, not "
                    + safeCode(bundleType));
        }
        JsonNode entries = b.path("entry");
        JsonNode status = entries.path(0).path("resource");
        String statusType = status.path("resourceType").asText("");
        Status s = switch (statusType) {
            case "Parameters" -> fromParameters(status);
            case "SubscriptionStatus" -> fromSubscriptionStatus(status);
            default -> throw new FhirInputException(
                    "First Bundle entry must be the subscription status (Parameters or SubscriptionStatus)");
        };
        if (s.type == null) {
            throw new FhirInputException("Subscription status has no type");
        }
        Kind kind = switch (s.type) {
            case "handshake" -> Kind.HANDSHAKE;
            case "heartbeat" -> Kind.HEARTBEAT;
            case "event-notification" -> Kind.EVENT_NOTIFICATION;
            case "query-status" -> Kind.QUERY_STATUS;
            case "query-event" -> Kind.QUERY_EVENT;
            default -> throw new FhirInputException("Unknown notification type " + safeCode(s.type));
        };

        // The other entries: fullUrl → resource (or null for id-only), to resolve urn:uuid focuses and versions.
        Map<String, JsonNode> byFullUrl = new LinkedHashMap<>();
        boolean anyResource = false;
        boolean anyEntry = false;
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (int i = 1; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            JsonNode r = e.get("resource");
            anyEntry = true;
            if (r != null && r.isObject()) {
                anyResource = true;
                Reference ref = reference(r.path("resourceType").asText("") + "/" + r.path("id").asText(""));
                Resource parsed = resource(r);
                if (ref != null && parsed != null) {
                    resources.put(ref.focus, parsed);
                }
            }
            String fullUrl = text(e.get("fullUrl"));
            if (fullUrl != null) {
                byFullUrl.put(fullUrl, r);
            }
        }

        List<Event> events = new ArrayList<>();
        boolean anyFocus = false;
        for (RawEvent raw : s.events) {
            String focus = null;
            String version = null;
            if (raw.focus != null) {
                anyFocus = true;
                String target = raw.focus;
                JsonNode inBundle = byFullUrl.get(raw.focus);
                if (raw.focus.startsWith("urn:") && inBundle != null) {
                    target = inBundle.path("resourceType").asText("") + "/" + inBundle.path("id").asText("");
                }
                Reference ref = reference(target);
                if (ref == null) {
                    throw new FhirInputException("Event " + (raw.number == null ? "" : raw.number + " ")
                            + "has a focus that is not a resource reference");
                }
                focus = ref.focus;
                version = ref.version;
                if (version == null && inBundle != null) {
                    version = text(inBundle.path("meta").get("versionId"));
                }
            }
            events.add(new Event(raw.number, focus, version));
        }

        String content = null;
        if (kind == Kind.EVENT_NOTIFICATION || kind == Kind.QUERY_EVENT) {
            content = anyResource ? "full-resource" : anyFocus || anyEntry ? "id-only" : "empty";
        }
        return new FhirNotification(kind, s.subscription, s.topic, s.eventsSinceStart, events, content, resources);
    }

    private record RawEvent(Long number, String focus) {
    }

    private record Status(String subscription, String topic, String type, Long eventsSinceStart,
                          List<RawEvent> events) {
    }

    /** R4 Backport IG: backport-subscription-status-r4 Parameters. */
    private Status fromParameters(JsonNode params) throws FhirInputException {
        String subscription = null;
        String topic = null;
        String type = null;
        Long since = null;
        List<RawEvent> events = new ArrayList<>();
        for (JsonNode p : params.path("parameter")) {
            switch (p.path("name").asText("")) {
                case "subscription" -> subscription = subscription(p.path("valueReference").get("reference"));
                case "topic" -> topic = firstText(p, "valueCanonical", "valueUri", "valueString");
                case "type" -> type = text(p.get("valueCode"));
                case "events-since-subscription-start" -> since = number(
                        firstNode(p, "valueString", "valueInteger64", "valueUnsignedInt", "valueInteger",
                                "valueDecimal"), "events-since-subscription-start");
                case "notification-event" -> {
                    Long n = null;
                    String focus = null;
                    for (JsonNode part : p.path("part")) {
                        switch (part.path("name").asText("")) {
                            case "event-number" -> n = number(firstNode(part, "valueString", "valueInteger64",
                                    "valueUnsignedInt", "valueInteger", "valueDecimal"), "event-number");
                            case "focus" -> focus = text(part.path("valueReference").get("reference"));
                            default -> {
                                // timestamp, additional-context: nothing Careline acts on
                            }
                        }
                    }
                    events.add(new RawEvent(n, focus));
                }
                default -> {
                    // status, error, ...: the sender's view of the subscription, not a change
                }
            }
        }
        return new Status(subscription, topic, type, since, events);
    }

    /** R4B SubscriptionStatus, read as JSON because R4 structures have no such resource. */
    private Status fromSubscriptionStatus(JsonNode st) throws FhirInputException {
        List<RawEvent> events = new ArrayList<>();
        for (JsonNode e : st.path("notificationEvent")) {
            events.add(new RawEvent(number(e.get("eventNumber"), "eventNumber"),
                    text(e.path("focus").get("reference"))));
        }
        return new Status(subscription(st.path("subscription").get("reference")), text(st.get("topic")),
                text(st.get("type")), number(st.get("eventsSinceSubscriptionStart"), "eventsSinceSubscriptionStart"),
                events);
    }

    /** The body as a JSON tree: JSON as is, XML through HAPI's R4 parser. */
    private JsonNode tree(String contentType, byte[] body) throws FhirInputException {
        Format format = format(contentType, body);
        String text = new String(body, StandardCharsets.UTF_8);
        if (format == Format.XML) {
            checkXmlDepth(body);
            try {
                IBaseResource r = parser(Format.XML).parseResource(text);
                text = parser(Format.JSON).encodeResourceToString(r);
            } catch (DataFormatException | IllegalArgumentException e) {
                // HAPI's message may quote the body: never pass it on.
                throw new FhirInputException("Body is not a FHIR R4 resource in XML (R4B notifications: send JSON)");
            }
        }
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new FhirInputException("Body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new FhirInputException("Body is not valid JSON");
        }
    }

    /**
     * Refuses XML nested deeper than {@value #MAX_XML_DEPTH} elements before HAPI sees it: HAPI's model recurses
     * per level (Element.isEmpty over nested extensions), so a few thousand levels overflow a worker thread's stack
     * and the request would be answered 500 (and retried by the server forever). JSON needs no such pass: Jackson
     * refuses nesting over 1,000 levels by itself. Streaming, no DTDs, no external entities.
     */
    private static void checkXmlDepth(byte[] body) throws FhirInputException {
        XMLStreamReader reader = null;
        try {
            reader = XML_INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT && ++depth > MAX_XML_DEPTH) {
                    throw new FhirInputException("Body nests elements deeper than " + MAX_XML_DEPTH + " levels");
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            // The parser's message may quote the body: never pass it on.
            throw new FhirInputException("Body is not a FHIR R4 resource in XML (R4B notifications: send JSON)");
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing held but the byte array
                }
            }
        }
    }

    private static XMLInputFactory xmlInput() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    private static Format format(String contentType, byte[] body) throws FhirInputException {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (ct.isEmpty()) {
            String start = new String(body, StandardCharsets.UTF_8).stripLeading();
            return start.startsWith("<") ? Format.XML : Format.JSON;
        }
        if (ct.contains("json")) {
            return Format.JSON;
        }
        if (ct.contains("xml")) {
            return Format.XML;
        }
        throw new FhirInputException("Content type must be application/fhir+json or application/fhir+xml", 415);
    }

    /** A resource through HAPI's R4 model; null when it is not one. Lenient and silent: HAPI logs values. */
    private Resource resource(JsonNode node) {
        try {
            IBaseResource r = parser(Format.JSON).parseResource(node.toString());
            return r instanceof Resource res ? res : null;
        } catch (DataFormatException | IllegalArgumentException e) {
            return null;
        }
    }

    private IParser parser(Format format) {
        IParser p = format == Format.XML ? fhir.newXmlParser() : fhir.newJsonParser();
        // Versioned references (Appointment/1/_history/2) must survive the XML → JSON round trip.
        p.setStripVersionsFromReferences(false);
        return p.setParserErrorHandler(new LenientErrorHandler(false));
    }

    private record Reference(String focus, String version) {
    }

    /** "http://server/fhir/Appointment/1/_history/2" → Appointment/1, version 2; null when not a reference. */
    private static Reference reference(String raw) {
        if (raw == null) {
            return null;
        }
        Matcher m = REFERENCE.matcher(raw.trim());
        return m.matches() ? new Reference(m.group(1) + "/" + m.group(2), m.group(3)) : null;
    }

    /**
     * The notification's subscription as {@code Subscription/<id>}, or null when it names none. It goes into the
     * $events URL the engine calls with its credentials and into log lines, so anything else is refused (400): a
     * reference with a path, a query or a control character in it, or an id of dots only (issue 14, finding 3).
     */
    private static String subscription(JsonNode ref) throws FhirInputException {
        String raw = text(ref);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Reference r = reference(raw);
        String id = r == null ? "" : r.focus.substring(r.focus.indexOf('/') + 1);
        if (r == null || !r.focus.startsWith("Subscription/") || id.chars().allMatch(ch -> ch == '.')) {
            throw new FhirInputException("subscription reference must be Subscription/<id> (an id of letters, digits, "
                    + "'-' and '.', at most 64)");
        }
        return r.focus;
    }

    private static Long number(JsonNode node, String what) throws FhirInputException {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return node.isNumber() ? node.asLong() : Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
            throw new FhirInputException(what + " is not a whole number");
        }
    }

    private static JsonNode firstNode(JsonNode node, String... fields) {
        for (String f : fields) {
            if (node.hasNonNull(f)) {
                return node.get(f);
            }
        }
        return null;
    }

    private static String firstText(JsonNode node, String... fields) {
        return text(firstNode(node, fields));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText().trim();
        return s.isEmpty() ? null : s;
    }

    /** A type name from the peer, only when it looks like one: never echo arbitrary input. */
    private static String safeType(String s) {
        return s != null && TYPE.matcher(s).matches() ? s : "(unrecognised)";
    }

    private static String safeCode(String s) {
        return s != null && s.matches("[a-z][a-z\\-]{0,40}") ? "'" + s + "'" : "(unrecognised)";
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
