package org.careline.ingest.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The subscription a notification names goes into the $events URL the engine calls with its bearer token, and into
 * log lines: only {@code Subscription/<id>} passes (issue 14, finding 3). A probe's
 * {@code …/fhir/../../../evilpath2?x=/$events} once made the engine send its token to a path of the caller's choice.
 */
class SubscriptionReferenceTest {

    private static final NotificationParser PARSER = new NotificationParser();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FhirNotification parse(String reference) throws FhirInputException {
        String body = "{\"resourceType\":\"Bundle\",\"type\":\"history\",\"entry\":[{\"resource\":{\"resourceType\":"
                + "\"Parameters\",\"parameter\":[{\"name\":\"subscription\",\"valueReference\":{\"reference\":"
                + JSON.valueToTree(reference) + "}},{\"name\":\"type\",\"valueCode\":\"heartbeat\"},"
                + "{\"name\":\"events-since-subscription-start\",\"valueString\":\"3\"}]}}]}";
        return PARSER.parse("POST", "/", "application/fhir+json", body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Subscription/s-9                                    | Subscription/s-9
            http://server/fhir/Subscription/123                 | Subscription/123
            https://server/fhir/Subscription/a.b-c/_history/2   | Subscription/a.b-c
            """)
    void aSubscriptionIsKeptAsTypeAndId(String reference, String kept) throws Exception {
        assertThat(parse(reference).subscription()).isEqualTo(kept);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://server/fhir/../../../evilpath2?x=/$events",
            "Subscription/../../../evilpath2?x=",
            "Subscription/..",
            "Subscription/.",
            "Subscription/s1\nINFO forged log line",
            "Subscription/s1?x=1",
            "Patient/p1",
            "Subscription/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "urn:uuid:0c9a1e0e-1f2b-4c3d-9e8f-123456789abc"})
    void anythingElseIsA400(String reference) {
        assertThatThrownBy(() -> parse(reference)).isInstanceOf(FhirInputException.class)
                .hasMessageStartingWith("subscription reference must be Subscription/<id>")
                .satisfies(e -> assertThat(((FhirInputException) e).httpStatus()).isEqualTo(400));
    }
}
