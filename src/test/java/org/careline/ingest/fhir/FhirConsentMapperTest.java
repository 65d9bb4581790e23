package org.careline.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.careline.config.FhirMapping;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an R4 Consent means for messaging, as a table of cases. */
class FhirConsentMapperTest {

    private static final String SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    private static final FhirConsentMapper SHIPPED = new FhirConsentMapper(new FhirMapping.ConsentCodes(
            List.of(SCOPE + "|patient-privacy"), List.of()));
    private static final FhirConsentMapper LOCAL_CATEGORY = new FhirConsentMapper(new FhirMapping.ConsentCodes(
            List.of(), List.of("patient-messaging")));

    private static Consent consent(String status, String type, String scope, String category) {
        String json = "{\"resourceType\":\"Consent\",\"id\":\"c1\",\"status\":\"" + status + "\""
                + (scope.isEmpty() ? "" : ",\"scope\":{\"coding\":[{\"system\":\"" + SCOPE + "\",\"code\":\"" + scope
                + "\"}]}")
                + (category.isEmpty() ? "" : ",\"category\":[{\"coding\":[{\"system\":\"http://hospital.example.org/c\","
                + "\"code\":\"" + category + "\"}]}]")
                + ",\"patient\":{\"reference\":\"Patient/p1\"}"
                + (type.isEmpty() ? "" : ",\"provision\":{\"type\":\"" + type + "\"}") + "}";
        return FhirContext.forR4Cached().newJsonParser().parseResource(Consent.class, json);
    }

    @ParameterizedTest(name = "{0} {1} scope={2} category={3} → {4}")
    @CsvSource({
            // status,        provision, scope,           category,          shipped codes, local category codes
            "active,           permit,   patient-privacy, '',                GRANTED,   none",
            "active,           deny,     patient-privacy, '',                REFUSED,   none",
            "inactive,         permit,   patient-privacy, '',                WITHDRAWN, none",
            "rejected,         '',       patient-privacy, '',                WITHDRAWN, none",
            "draft,            permit,   patient-privacy, '',                none,      none",
            "proposed,         permit,   patient-privacy, patient-messaging, none,      none",
            "active,           permit,   treatment,       '',                none,      none",
            "active,           permit,   research,        patient-messaging, none,      GRANTED",
            "active,           deny,     '',              patient-messaging, none,      REFUSED",
            "entered-in-error, permit,   patient-privacy, '',                annulled,  annulled",
            "entered-in-error, '',       treatment,       '',                annulled,  annulled",
    })
    void readsWhatTheConsentMeans(String status, String type, String scope, String category, String shipped,
                                  String local) throws Exception {
        assertThat(meaning(SHIPPED.read(consent(status, type, scope, category)))).isEqualTo(shipped);
        assertThat(meaning(LOCAL_CATEGORY.read(consent(status, type, scope, category)))).isEqualTo(local);
    }

    private static String meaning(FhirConsentMapper.Reading r) {
        if (r instanceof FhirConsentMapper.Change c) {
            assertThat(c.patientKey()).isEqualTo("FHIR|Patient/p1");
            return c.value().name();
        }
        return r instanceof FhirConsentMapper.Annulled ? "annulled" : "none";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'{\"resourceType\":\"Consent\",\"patient\":{\"reference\":\"Patient/p1\"}}', status",
            "'{\"resourceType\":\"Consent\",\"status\":\"active\",\"provision\":{\"type\":\"deny\"}}', patient",
            "'{\"resourceType\":\"Consent\",\"status\":\"active\",\"patient\":{\"reference\":\"Group/g1\"},\"provision\":{\"type\":\"deny\"}}', patient",
            "'{\"resourceType\":\"Consent\",\"status\":\"active\",\"patient\":{\"reference\":\"Patient/p1\"}}', provision.type",
    })
    void aConsentThatSaysNothingReadableIsAProblem(String json, String named) {
        Consent c = FhirContext.forR4Cached().newJsonParser().setParserErrorHandler(
                new ca.uhn.fhir.parser.LenientErrorHandler(false)).parseResource(Consent.class, json);
        assertThat(FhirConsentMapper.problem(c)).hasValueSatisfying(p -> assertThat(p).contains(named));
        assertThatThrownBy(() -> SHIPPED.read(c)).isInstanceOf(UnmappableResourceException.class);
    }
}
