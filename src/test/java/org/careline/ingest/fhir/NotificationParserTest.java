package org.careline.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.careline.ingest.fhir.FhirNotification.Event;
import org.careline.ingest.fhir.FhirNotification.Kind;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationParserTest {

    private static final String JSON = "application/fhir+json";
    private final NotificationParser parser = new NotificationParser();

    private FhirNotification parse(String method, String path, String contentType, String body)
            throws FhirInputException {
        return parser.parse(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private FhirInputException rejected(String method, String path, String contentType, String body) {
        try {
            parse(method, path, contentType, body);
        } catch (FhirInputException e) {
            return e;
        }
        throw new AssertionError("expected a FhirInputException");
    }

    // --- R4 rest-hook without payload ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(value = {"'',NULL", "/,NULL", "'','  \n'", "/?_since=x,''"}, nullValues = "NULL")
    void anEmptyPostToTheEndpointIsAPing(String path, String body) throws Exception {
        FhirNotification n = parse("POST", path, null, body);
        assertThat(n.kind()).isEqualTo(Kind.PING);
        assertThat(n.events()).isEmpty();
        assertThat(n.subscription()).isNull();
        assertThat(n.payloadContent()).isNull();
    }

    @Test
    void onlyPostIsAcceptedAtTheEndpoint() {
        assertThat(rejected("GET", "/", null, null).httpStatus()).isEqualTo(405);
    }

    // --- R4 query-based rest-hook with payload (HAPI) -----------------------------------------------------------

    @Test
    void aPutCarriesTheChangedResourceAndItsVersion() throws Exception {
        FhirNotification n = parse("PUT", "/Appointment/123", JSON + "; charset=UTF-8", """
                {"resourceType":"Appointment","id":"123","meta":{"versionId":"4"},"status":"booked",
                 "start":"2030-03-05T14:00:00Z","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}
                """);
        assertThat(n.kind()).isEqualTo(Kind.RESOURCE_CHANGED);
        assertThat(n.events()).containsExactly(new Event(null, "Appointment/123", "4"));
        assertThat(n.resources()).containsOnlyKeys("Appointment/123");
        Appointment a = (Appointment) n.resources().get("Appointment/123");
        assertThat(a.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(n.events().get(0).focusType()).isEqualTo("Appointment");
        assertThat(n.events().get(0).focusId()).isEqualTo("123");
    }

    @Test
    void aPutBodyWithoutIdTakesThePathsId() throws Exception {
        FhirNotification n = parse("PUT", "/DiagnosticReport/r9/", "application/json",
                "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}");
        assertThat(n.events()).containsExactly(new Event(null, "DiagnosticReport/r9", null));
        assertThat(n.resources().get("DiagnosticReport/r9").getIdElement().getIdPart()).isEqualTo("r9");
    }

    @Test
    void aPutInXmlIsReadWithHapisXmlParser() throws Exception {
        DiagnosticReport r = new DiagnosticReport();
        r.setId("r7");
        r.getMeta().setVersionId("2");
        r.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        String xml = FhirContext.forR4Cached().newXmlParser().encodeResourceToString(r);
        FhirNotification n = parse("PUT", "/DiagnosticReport/r7", "application/fhir+xml", xml);
        assertThat(n.kind()).isEqualTo(Kind.RESOURCE_CHANGED);
        assertThat(n.events()).containsExactly(new Event(null, "DiagnosticReport/r7", "2"));
        assertThat(((DiagnosticReport) n.resources().get("DiagnosticReport/r7")).getStatus())
                .isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        // No content type: sniffed.
        assertThat(parse("PUT", "/DiagnosticReport/r7", null, xml).kind()).isEqualTo(Kind.RESOURCE_CHANGED);
    }

    @Test
    void aDeleteNamesTheResourceGone() throws Exception {
        FhirNotification n = parse("DELETE", "/Appointment/123", null, null);
        assertThat(n.kind()).isEqualTo(Kind.RESOURCE_DELETED);
        assertThat(n.events()).containsExactly(new Event(null, "Appointment/123", null));
        assertThat(n.resources()).isEmpty();
    }

    @Test
    void aPutOfAnotherTypeThanThePathsIsRejectedWithoutEchoingTheBody() {
        FhirInputException e = rejected("PUT", "/Appointment/1", JSON,
                "{\"resourceType\":\"Patient\",\"id\":\"1\",\"name\":[{\"family\":\"Secretname\"}]}");
        assertThat(e.getMessage()).contains("Patient", "Appointment").doesNotContain("Secretname");
        assertThat(e.httpStatus()).isEqualTo(400);
    }

    @Test
    void aPutWhoseBodyIdDiffersFromThePathsIsRejected() {
        assertThat(rejected("PUT", "/Appointment/1", JSON, "{\"resourceType\":\"Appointment\",\"id\":\"2\"}")
                .getMessage()).contains("id");
    }

    @Test
    void typesCarelineDoesNotHandleAreRejected() {
        assertThat(rejected("PUT", "/Patient/1", JSON, "{\"resourceType\":\"Patient\",\"id\":\"1\"}").getMessage())
                .contains("Patient", "Appointment, Consent, DiagnosticReport");
        assertThat(rejected("DELETE", "/Observation/1", null, null).getMessage()).contains("Observation");
    }

    @Test
    void malformedRequestsAreRejected() {
        assertThat(rejected("PATCH", "/Appointment/1", JSON, "{}").httpStatus()).isEqualTo(405);
        assertThat(rejected("PUT", "/Appointment/1", JSON, null).getMessage()).contains("no body");
        assertThat(rejected("PUT", "/Appointment/1/_history/2", JSON, "{}").getMessage()).contains("Path");
        assertThat(rejected("PUT", "/Appointment/bad id!", JSON, "{}").getMessage()).contains("id");
        assertThat(rejected("PUT", "/Appointment/1", "text/plain", "hello").httpStatus()).isEqualTo(415);
        FhirInputException notJson = rejected("PUT", "/Appointment/1", JSON, "{\"resourceType\": Jane Doe");
        assertThat(notJson.getMessage()).isEqualTo("Body is not valid JSON");
        assertThat(rejected("PUT", "/Appointment/1", JSON, "[1,2]").getMessage()).contains("JSON object");
        FhirInputException notXml = rejected("PUT", "/Appointment/1", "application/fhir+xml", "<Appointment Jane");
        assertThat(notXml.getMessage()).doesNotContain("Jane");
    }

    // --- Subscriptions Backport IG ------------------------------------------------------------------------------

    @Test
    void aPostedResourceThatIsNotABundleIsNotANotification() {
        assertThat(rejected("POST", "/", JSON, "{\"resourceType\":\"Appointment\",\"id\":\"1\"}").getMessage())
                .contains("Appointment", "not a subscription notification Bundle");
    }

    @Test
    void aBundleOfAnotherTypeOrWithoutStatusIsNotANotification() {
        assertThat(rejected("POST", "", JSON, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}")
                .getMessage()).contains("'transaction'");
        assertThat(rejected("POST", "", JSON, """
                {"resourceType":"Bundle","type":"history","entry":[{"resource":{"resourceType":"Patient"}}]}
                """).getMessage()).contains("subscription status");
        assertThat(rejected("POST", "", JSON, """
                {"resourceType":"Bundle","type":"history","entry":[{"resource":{"resourceType":"Parameters",
                 "parameter":[{"name":"type","valueCode":"party"}]}}]}""").getMessage())
                .contains("Unknown notification type 'party'");
        assertThat(rejected("POST", "", JSON, """
                {"resourceType":"Bundle","type":"history","entry":[{"resource":{"resourceType":"Parameters",
                 "parameter":[{"name":"status","valueCode":"active"}]}}]}""").getMessage()).contains("no type");
    }

    @Test
    void focusReferencesAreMadeRelativeAndKeepTheirVersion() throws Exception {
        FhirNotification n = parse("POST", "/", JSON, """
                {"resourceType":"Bundle","type":"history","entry":[
                 {"fullUrl":"urn:uuid:s1","resource":{"resourceType":"Parameters","parameter":[
                   {"name":"subscription","valueReference":{"reference":"Subscription/s-9"}},
                   {"name":"topic","valueCanonical":"http://example.org/topics/appointments"},
                   {"name":"status","valueCode":"active"},
                   {"name":"type","valueCode":"event-notification"},
                   {"name":"events-since-subscription-start","valueString":"12"},
                   {"name":"notification-event","part":[{"name":"event-number","valueString":"11"},
                     {"name":"focus","valueReference":{"reference":"http://server/fhir/Appointment/1"}}]},
                   {"name":"notification-event","part":[{"name":"event-number","valueString":"12"},
                     {"name":"focus","valueReference":{"reference":"DiagnosticReport/r2/_history/3"}},
                     {"name":"additional-context","valueReference":{"reference":"Patient/p1"}}]}]}},
                 {"fullUrl":"http://server/fhir/Appointment/1"},
                 {"fullUrl":"http://server/fhir/DiagnosticReport/r2/_history/3"}]}
                """);
        assertThat(n.kind()).isEqualTo(Kind.EVENT_NOTIFICATION);
        assertThat(n.subscription()).isEqualTo("Subscription/s-9");
        assertThat(n.topic()).isEqualTo("http://example.org/topics/appointments");
        assertThat(n.eventsSinceStart()).isEqualTo(12L);
        assertThat(n.events()).containsExactly(new Event(11L, "Appointment/1", null),
                new Event(12L, "DiagnosticReport/r2", "3"));
        assertThat(n.payloadContent()).isEqualTo("id-only");
    }

    @Test
    void aFullResourceNotificationCarriesTheResourcesAndResolvesUrnFocuses() throws Exception {
        FhirNotification n = parse("POST", "/", JSON, """
                {"resourceType":"Bundle","type":"history","entry":[
                 {"resource":{"resourceType":"Parameters","parameter":[
                   {"name":"type","valueCode":"event-notification"},
                   {"name":"notification-event","part":[{"name":"event-number","valueString":"5"},
                     {"name":"focus","valueReference":{"reference":"urn:uuid:a1"}}]}]}},
                 {"fullUrl":"urn:uuid:a1","resource":{"resourceType":"Appointment","id":"A1",
                   "meta":{"versionId":"7"},"status":"cancelled"}}]}
                """);
        assertThat(n.events()).containsExactly(new Event(5L, "Appointment/A1", "7"));
        assertThat(n.payloadContent()).isEqualTo("full-resource");
        assertThat(((Appointment) n.resources().get("Appointment/A1")).getStatus())
                .isEqualTo(Appointment.AppointmentStatus.CANCELLED);
    }

    @Test
    void anEventNumberThatIsNotANumberIsRejected() {
        assertThat(rejected("POST", "/", JSON, """
                {"resourceType":"Bundle","type":"history","entry":[{"resource":{"resourceType":"Parameters",
                 "parameter":[{"name":"type","valueCode":"heartbeat"},
                  {"name":"events-since-subscription-start","valueString":"many"}]}}]}""").getMessage())
                .isEqualTo("events-since-subscription-start is not a whole number");
    }

    @Test
    void anR4NotificationInXmlIsReadToo() throws Exception {
        Parameters status = new Parameters();
        status.addParameter().setName("subscription").setValue(new Reference("https://s/fhir/Subscription/77"));
        status.addParameter().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType("event-notification"));
        status.addParameter().setName("events-since-subscription-start").setValue(new StringType("3"));
        Parameters.ParametersParameterComponent ev = status.addParameter().setName("notification-event");
        ev.addPart().setName("event-number").setValue(new StringType("3"));
        ev.addPart().setName("focus").setValue(new Reference("https://s/fhir/Appointment/9/_history/1"));
        Bundle b = new Bundle().setType(Bundle.BundleType.HISTORY);
        b.addEntry().setResource(status);
        String xml = FhirContext.forR4Cached().newXmlParser().setStripVersionsFromReferences(false)
                .encodeResourceToString(b);

        FhirNotification n = parse("POST", "/", "application/fhir+xml", xml);
        assertThat(n.kind()).isEqualTo(Kind.EVENT_NOTIFICATION);
        assertThat(n.subscription()).isEqualTo("Subscription/77");
        assertThat(n.eventsSinceStart()).isEqualTo(3L);
        assertThat(n.events()).containsExactly(new Event(3L, "Appointment/9", "1"));
        assertThat(n.payloadContent()).isEqualTo("id-only");
    }

    /** R4B: the status is a SubscriptionStatus, which R4 structures cannot parse; the envelope is read as JSON. */
    @Test
    void anR4bSubscriptionStatusBundleIsRead() throws Exception {
        FhirNotification n = parse("POST", "/", JSON, """
                {"resourceType":"Bundle","type":"history","timestamp":"2026-05-01T10:00:00Z","entry":[
                 {"fullUrl":"urn:uuid:9a6c","resource":{"resourceType":"SubscriptionStatus","status":"active",
                   "type":"event-notification","eventsSinceSubscriptionStart":"41",
                   "notificationEvent":[
                     {"eventNumber":"40","timestamp":"2026-05-01T09:59:00Z",
                      "focus":{"reference":"https://ehr.example/fhir/Appointment/a-40/_history/2"}},
                     {"eventNumber":"41","focus":{"reference":"https://ehr.example/fhir/DiagnosticReport/d-41"}}],
                   "subscription":{"reference":"https://ehr.example/fhir/Subscription/careline"},
                   "topic":"http://ehr.example/topics/appointment-change"},
                  "request":{"method":"GET","url":"https://ehr.example/fhir/Subscription/careline/$status"},
                  "response":{"status":"200"}},
                 {"fullUrl":"https://ehr.example/fhir/Appointment/a-40/_history/2","resource":{
                   "resourceType":"Appointment","id":"a-40","status":"booked","start":"2030-01-01T10:00:00Z"}},
                 {"fullUrl":"https://ehr.example/fhir/DiagnosticReport/d-41","resource":{
                   "resourceType":"DiagnosticReport","id":"d-41","status":"final","code":{"text":"x"}}}]}
                """);
        assertThat(n.kind()).isEqualTo(Kind.EVENT_NOTIFICATION);
        assertThat(n.subscription()).isEqualTo("Subscription/careline");
        assertThat(n.topic()).isEqualTo("http://ehr.example/topics/appointment-change");
        assertThat(n.eventsSinceStart()).isEqualTo(41L);
        assertThat(n.events()).containsExactly(new Event(40L, "Appointment/a-40", "2"),
                new Event(41L, "DiagnosticReport/d-41", null));
        assertThat(n.payloadContent()).isEqualTo("full-resource");
        assertThat(n.resources()).containsOnlyKeys("Appointment/a-40", "DiagnosticReport/d-41");
    }

    @ParameterizedTest
    @CsvSource({"handshake,HANDSHAKE", "heartbeat,HEARTBEAT", "query-status,QUERY_STATUS"})
    void anR4bStatusWithoutEventsHasItsKindAndNoPayloadContent(String type, Kind kind) throws Exception {
        FhirNotification n = parse("POST", "/", JSON, """
                {"resourceType":"Bundle","type":"subscription-notification","entry":[{"resource":{
                 "resourceType":"SubscriptionStatus","status":"requested","type":"%s",
                 "eventsSinceSubscriptionStart":0,"subscription":{"reference":"Subscription/careline"},
                 "topic":"http://ehr.example/topics/appointment-change"}}]}
                """.formatted(type));
        assertThat(n.kind()).isEqualTo(kind);
        assertThat(n.eventsSinceStart()).isZero();
        assertThat(n.events()).isEmpty();
        assertThat(n.payloadContent()).isNull();
    }

    // --- the shared corpus --------------------------------------------------------------------------------------

    private record Expected(Kind kind, List<Event> events, String payloadContent, Long eventsSinceStart) {
    }

    private static final String ENCOUNTER = "Encounter/86009987-eabe-42bf-8c02-b112b18cb616";
    /** Every corpus file and what it must give; null = not a notification (FhirInputException). */
    private static final Map<String, Expected> BACKPORT_EXPECTED = new java.util.HashMap<>(Map.of(
            "handshake_bundle_example.json", new Expected(Kind.HANDSHAKE, List.of(), null, 0L),
            "heartbeat_bundle_example.json", new Expected(Kind.HEARTBEAT, List.of(), null, 2L),
            "empty_notification_bundle_example.json", new Expected(Kind.EVENT_NOTIFICATION,
                    List.of(new Event(1L, null, null)), "empty", 1L),
            "id_only_notification_bundle_example.json", new Expected(Kind.EVENT_NOTIFICATION,
                    List.of(new Event(1L, ENCOUNTER, null)), "id-only", 1L),
            "full_resource_notification_bundle_example.json", new Expected(Kind.EVENT_NOTIFICATION,
                    List.of(new Event(1L, ENCOUNTER, null)), "full-resource", 1L)));

    static {
        // A Subscription is what Careline registers, not what a server sends it.
        BACKPORT_EXPECTED.put("subscription_resource_example.json", null);
        // A $status response (searchset): Careline asks for it, no server POSTs it as a notification.
        BACKPORT_EXPECTED.put("subscription_status_example.json", null);
    }

    @Test
    void everyBackportNotificationInTheCorpusIsHandled() throws IOException {
        FhirFixtures.assumeCorpus();
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(FhirFixtures.BACKPORT)) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.add(p.getFileName().toString()));
        }
        assertThat(files).as("a new corpus file needs an expectation here")
                .isEqualTo(new TreeSet<>(BACKPORT_EXPECTED.keySet()));
        for (String file : files) {
            byte[] body = FhirFixtures.bytes(FhirFixtures.BACKPORT.resolve(file));
            Expected want = BACKPORT_EXPECTED.get(file);
            if (want == null) {
                assertThatThrownBy(() -> parser.parse("POST", "/", JSON, body)).as(file)
                        .isInstanceOf(FhirInputException.class);
                continue;
            }
            FhirNotification n;
            try {
                n = parser.parse("POST", "/", JSON, body);
            } catch (FhirInputException e) {
                throw new AssertionError(file + ": " + e.getMessage(), e);
            }
            assertThat(n.kind()).as(file).isEqualTo(want.kind());
            assertThat(n.events()).as(file).isEqualTo(want.events());
            assertThat(n.payloadContent()).as(file).isEqualTo(want.payloadContent());
            assertThat(n.eventsSinceStart()).as(file).isEqualTo(want.eventsSinceStart());
            assertThat(n.subscription()).as(file).isEqualTo("Subscription/123");
            assertThat(n.topic()).as(file).isEqualTo("http://fhirserver.org/topics/patient-admission");
        }
    }

    @Test
    void theCorpusFullResourceEncounterIsCarriedAlongForTheCallerToIgnore() throws Exception {
        FhirFixtures.assumeCorpus();
        FhirNotification n = parser.parse("POST", "", JSON, FhirFixtures.bytes(
                FhirFixtures.BACKPORT.resolve("full_resource_notification_bundle_example.json")));
        assertThat(n.resources()).containsOnlyKeys(ENCOUNTER);
        assertThat(n.events().get(0).focusType()).isEqualTo("Encounter");
    }

    @Test
    void corpusMessagesSayWhyWithoutEchoingTheBody() {
        FhirFixtures.assumeCorpus();
        assertThatThrownBy(() -> parser.parse("POST", "/", JSON, FhirFixtures.bytes(
                FhirFixtures.BACKPORT.resolve("subscription_resource_example.json"))))
                .hasMessage("POST body is a Subscription, not a subscription notification Bundle");
        assertThatThrownBy(() -> parser.parse("POST", "/", JSON, FhirFixtures.bytes(
                FhirFixtures.BACKPORT.resolve("subscription_status_example.json"))))
                .hasMessage("Bundle type must be history (R4) or subscription-notification, not 'searchset'");
    }

    @Test
    void corpusAppointmentsAndReportsArriveAsRestHookPuts() throws Exception {
        FhirFixtures.assumeCorpus();
        for (String name : List.of("Appointment-example", "Appointment-2docs", "Appointment-examplereq",
                "DiagnosticReport-f201", "DiagnosticReport-ultrasound", "DiagnosticReport-102")) {
            String type = name.substring(0, name.indexOf('-'));
            String id = name.substring(name.indexOf('-') + 1);
            byte[] body = FhirFixtures.bytes(FhirFixtures.R4.resolve(name + ".json"));
            FhirNotification n = parser.parse("PUT", "/" + type + "/" + id, JSON, body);
            assertThat(n.events()).as(name).containsExactly(new Event(null, type + "/" + id, null));
            assertThat(n.resources().get(type + "/" + id).fhirType()).isEqualTo(type);
            // The same body under another id or type is refused.
            assertThatThrownBy(() -> parser.parse("PUT", "/" + type + "/other", JSON, body))
                    .isInstanceOf(FhirInputException.class);
        }
        byte[] patient = FhirFixtures.bytes(FhirFixtures.R4.resolve("Patient-example.json"));
        assertThatThrownBy(() -> parser.parse("PUT", "/Appointment/example", JSON, patient))
                .hasMessage("Body is a Patient, but the path names a Appointment");
        assertThatThrownBy(() -> parser.parse("PUT", "/Patient/example", JSON, patient))
                .isInstanceOf(FhirInputException.class);
    }

    @Test
    void xmlNestedDeeperThanTheLimitIsRefusedBeforeHapiRecursesIntoIt() throws Exception {
        // 20,000 nested extensions: HAPI's Element.isEmpty recursion overflowed the stack (answered 500, retried).
        int n = 20_000;
        String deep = "<Appointment xmlns=\"http://hl7.org/fhir\"><id value=\"1\"/>"
                + "<extension url=\"http://x\">".repeat(n) + "<valueString value=\"Jane\"/>"
                + "</extension>".repeat(n) + "</Appointment>";
        FhirInputException e = rejected("PUT", "/Appointment/1", "application/fhir+xml", deep);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("deeper than " + NotificationParser.MAX_XML_DEPTH).doesNotContain("Jane");
        // Unclosed, and as deep as it gets within the body limit: the same answer, never a parse of it by HAPI.
        assertThat(rejected("PUT", "/Appointment/1", "application/fhir+xml",
                "<Appointment xmlns=\"http://hl7.org/fhir\">" + "<a>".repeat(100_000)).httpStatus()).isEqualTo(400);
        // Nesting within the limit is still read (unknown extensions are HAPI's business).
        int ok = NotificationParser.MAX_XML_DEPTH - 2;
        String fine = "<Appointment xmlns=\"http://hl7.org/fhir\"><id value=\"1\"/><status value=\"booked\"/>"
                + "<extension url=\"http://x\">".repeat(ok) + "<valueString value=\"v\"/>"
                + "</extension>".repeat(ok) + "</Appointment>";
        assertThat(parse("PUT", "/Appointment/1", "application/fhir+xml", fine).kind()).isEqualTo(Kind.RESOURCE_CHANGED);
    }

    @Test
    void xmlWithADoctypeIsRefusedWithoutReadingEntities() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Appointment [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Appointment xmlns=\"http://hl7.org/fhir\"><id value=\"1\"/><comment value=\"&x;\"/></Appointment>";
        FhirInputException e = rejected("PUT", "/Appointment/1", "application/fhir+xml", xxe);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).doesNotContain("root:").doesNotContain("passwd");
    }
}
