package org.careline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local HTTP server answering like a FHIR R4 server, enough for Careline's writes: POST /fhir/&lt;Type&gt; creates
 * (201 Created, Location .../&lt;Type&gt;/&lt;id&gt;/_history/1, the resource as body), honouring If-None-Exist on
 * identifier=system|value (200 with the one already there); PATCH /fhir/&lt;Type&gt;/&lt;id&gt; answers 200; GET
 * /fhir/&lt;Type&gt;/&lt;id&gt; returns what was created, GET /fhir/metadata a CapabilityStatement. Records every request as received. A rule may answer a
 * request with an error status (and an OperationOutcome) instead, e.g. 503 twice then normally.
 */
public final class FhirStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body, int status) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /**
         * The search of an If-None-Exist header, decoded ("identifier=urn:x|1"). HAPI's client alone would send it as an
         * absolute, encoded URL (http://…/Type?identifier=urn%3Ax%7C1); the spec's form is the parameters alone.
         */
        public String ifNoneExist() {
            String h = header("If-None-Exist");
            if (h == null) {
                return null;
            }
            return URLDecoder.decode(h.contains("?") ? h.substring(h.indexOf('?') + 1) : h, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        /** The resource type or type/id the request is for ("AppointmentResponse", "Appointment/1"). */
        public String target() {
            return path.substring(path.indexOf("/fhir/") + "/fhir/".length());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Created resources by "Type/id". */
    private final Map<String, ObjectNode> resources = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(100);
    /** Fixed answers to GETs by target (a resource "Patient/p1", or an operation "Subscription/s1/$events"). */
    private final Map<String, String> served = new ConcurrentHashMap<>();
    private volatile Function<Received, Integer> rule = r -> null;
    private volatile Function<Received, Integer> loseRule = r -> null;

    public FhirStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir", this::handle);
        server.start();
    }

    /** CARELINE_FHIR_BASE_URL for an engine talking to this stub. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /**
     * How to answer: the rule sees each request (status 0) and returns an HTTP status to fail it with, or null to
     * answer it normally.
     */
    public void answer(Function<Received, Integer> rule) {
        this.rule = rule;
    }

    /** Answer normally from now on. */
    public void answerNormally() {
        answer(r -> null);
        loseRule = r -> null;
    }

    /** Fails the next {@code times} requests matching {@code target} (e.g. "AppointmentResponse") with {@code status}. */
    public void fail(String target, int status, int times) {
        AtomicLong left = new AtomicLong(times);
        answer(r -> r.target().startsWith(target) && left.getAndDecrement() > 0 ? status : null);
    }

    /**
     * Does the next {@code times} requests matching {@code target} but answers them {@code status}: the write
     * happened, its answer was lost (a gateway timing out, a connection dropped after the commit).
     */
    public void loseAnswers(String target, int status, int times) {
        AtomicLong left = new AtomicLong(times);
        loseRule = r -> r.target().startsWith(target) && left.getAndDecrement() > 0 ? status : null;
    }

    /** Answers GET {@code target} (query ignored) with {@code json} from now on. */
    public void serve(String target, String json) {
        served.put(target, json);
    }

    /** Stops serving {@code target}: a GET of it is answered 404 from now on (deleted on the server). */
    public void unserve(String target) {
        served.remove(target);
    }

    /** Every request so far, in order of arrival. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests with this method whose target starts with {@code target}. */
    public List<Received> received(String method, String target) {
        return received.stream().filter(r -> r.method().equals(method) && r.target().startsWith(target)).toList();
    }

    /** Resources created so far of one type, in no particular order. */
    public List<ObjectNode> created(String type) {
        return resources.entrySet().stream().filter(e -> e.getKey().startsWith(type + "/"))
                .map(Map.Entry::getValue).toList();
    }

    /** Created resources of {@code type} carrying identifier {@code system}|{@code value}. */
    public List<ObjectNode> withIdentifier(String type, String system, String value) {
        return created(type).stream().filter(r -> hasIdentifier(r, system, value)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Received asked = new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    Map.copyOf(ex.getRequestHeaders()), body, 0);
            Integer failWith = rule.apply(asked);
            int status;
            String answer;
            String location = null;
            if (failWith != null) {
                status = failWith;
                answer = outcome(status);
            } else if (asked.method().equals("POST") && !asked.target().contains("/")) {
                String type = asked.target();
                ObjectNode existing = existing(type, asked.header("If-None-Exist"));
                ObjectNode resource;
                if (existing != null) {
                    status = 200;
                    resource = existing;
                } else {
                    status = 201;
                    resource = (ObjectNode) JSON.readTree(body);
                    resource.put("id", String.valueOf(ids.incrementAndGet()));
                    resource.putObject("meta").put("versionId", "1");
                    resources.put(type + "/" + resource.get("id").asText(), resource);
                }
                location = baseUrl() + "/" + type + "/" + resource.get("id").asText() + "/_history/1";
                answer = resource.toString();
            } else if (asked.method().equals("PATCH")) {
                String[] typeId = asked.target().split("/");
                status = 200;
                ObjectNode patched = JSON.createObjectNode().put("resourceType", typeId[0]).put("id", typeId[1]);
                patched.putObject("meta").put("versionId", "2");
                answer = patched.toString();
                location = baseUrl() + "/" + asked.target() + "/_history/2";
            } else if (asked.method().equals("GET") && asked.target().equals("metadata")) {
                // HAPI's client may ask once before its first request, whatever validationMode says.
                status = 200;
                answer = "{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"date\":\"2030-01-01\","
                        + "\"kind\":\"instance\",\"fhirVersion\":\"4.0.1\",\"format\":[\"json\"]}";
            } else if (asked.method().equals("GET") && served.containsKey(asked.target())) {
                status = 200;
                answer = served.get(asked.target());
            } else if (asked.method().equals("GET") && resources.containsKey(asked.target())) {
                status = 200;
                answer = resources.get(asked.target()).toString();
            } else {
                status = 404;
                answer = outcome(404);
            }
            Integer lose = failWith == null ? loseRule.apply(asked) : null;
            if (lose != null) {
                status = lose;
                answer = outcome(lose);
                location = null;
            }
            received.add(new Received(asked.method(), asked.path(), asked.headers(), body, status));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/fhir+json;charset=utf-8");
            if (location != null) {
                ex.getResponseHeaders().set("Location", location);
                ex.getResponseHeaders().set("Content-Location", location);
            }
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    /** The resource If-None-Exist (identifier=system|value) finds, or null. */
    private ObjectNode existing(String type, String ifNoneExist) {
        if (ifNoneExist == null) {
            return null;
        }
        String query = ifNoneExist.contains("?") ? ifNoneExist.substring(ifNoneExist.indexOf('?') + 1) : ifNoneExist;
        for (String param : query.split("&")) {
            String[] kv = param.split("=", 2);
            if (kv.length == 2 && kv[0].equals("identifier")) {
                String[] sv = URLDecoder.decode(kv[1], StandardCharsets.UTF_8).split("\\|", 2);
                List<ObjectNode> found = sv.length == 2 ? withIdentifier(type, sv[0], sv[1])
                        : created(type).stream().filter(r -> hasIdentifier(r, null, sv[0])).toList();
                return found.isEmpty() ? null : found.get(0);
            }
        }
        return null;
    }

    private static boolean hasIdentifier(JsonNode resource, String system, String value) {
        for (JsonNode id : resource.path("identifier")) {
            if ((system == null || system.equals(id.path("system").asText())) && value.equals(id.path("value").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String outcome(int status) {
        ObjectNode o = JSON.createObjectNode().put("resourceType", "OperationOutcome");
        o.putArray("issue").addObject().put("severity", "error")
                .put("code", status >= 500 ? "transient" : "processing")
                .put("diagnostics", "stub answered " + status);
        return o.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
