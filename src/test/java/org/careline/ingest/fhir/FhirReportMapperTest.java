package org.careline.ingest.fhir;

import org.careline.config.FhirMapping;
import org.careline.model.PatientFacts;
import org.careline.ingest.fhir.FhirReportMapper.Mapped;
import org.careline.model.OrderFacts;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FhirReportMapperTest {

    @TempDir
    static Path dir;
    private static FhirReportMapper mapper;

    @BeforeAll
    static void load() {
        mapper = new FhirReportMapper(FhirFixtures.sites(dir), FhirMapping.load(Path.of("mappings")));
    }

    private static DiagnosticReport report(DiagnosticReportStatus status) {
        DiagnosticReport r = new DiagnosticReport();
        r.setId("R1");
        r.setStatus(status);
        r.setSubject(new Reference("Patient/p1"));
        r.getCode().addCoding(new Coding("http://loinc.org", "24323-8", "Comprehensive metabolic panel"));
        r.addCategory().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", null));
        r.setConclusion("Clinical text Careline never reads");
        return r;
    }

    @ParameterizedTest
    @CsvSource({"FINAL,F", "AMENDED,C", "CORRECTED,C", "APPENDED,C", "CANCELLED,X", "ENTEREDINERROR,X",
            "REGISTERED,P", "PARTIAL,P", "PRELIMINARY,P"})
    void statusBecomesTheObr25Letter(DiagnosticReportStatus status, String letter) throws Exception {
        assertThat(mapper.map(report(status), null).orElseThrow().order().status()).isEqualTo(letter);
    }

    @ParameterizedTest
    @CsvSource({"UNKNOWN", "NULL"})
    void anUnknownStatusIsNotJudged(DiagnosticReportStatus status) throws Exception {
        assertThat(mapper.map(report(status), null)).isEmpty();
    }

    @Test
    void aReportGivesOneOrderAndItsPatient() throws Exception {
        Patient p = new Patient();
        p.setId("p1");
        p.addName().setFamily("Doe").addGiven("Jane");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.MOBILE)
                .setValue("(608) 271-9000");
        p.addCommunication().setLanguage(new CodeableConcept().addCoding(new Coding(null, "spa", null)));
        DiagnosticReport r = report(DiagnosticReportStatus.FINAL);
        r.addPerformer(new Reference().setIdentifier(new Identifier().setValue("LAB-7")).setDisplay("Lab"));

        Mapped m = mapper.map(r, p).orElseThrow();
        assertThat(m.order()).isEqualTo(new OrderFacts("DiagnosticReport/R1", "F", "24323-8", "LAB", Set.of(), null));
        assertThat(m.patient()).isEqualTo(new PatientFacts("FHIR|Patient/p1", "p1", null, "Jane", "Doe",
                "+16082719000", "es", "gh-clinic"));
    }

    @Test
    void theSectionIsTheV20074CodeWhereverItIsElseTheFirstCode() throws Exception {
        DiagnosticReport r = report(DiagnosticReportStatus.FINAL);
        r.getCategory().clear();
        r.addCategory().addCoding(new Coding("http://snomed.info/sct", "394914008", "Radiology"))
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", null));
        assertThat(mapper.map(r, null).orElseThrow().order().section()).isEqualTo("RAD");
        r.getCategory().clear();
        r.addCategory().addCoding(new Coding("http://example.org/local", "SP", null));
        assertThat(mapper.map(r, null).orElseThrow().order().section()).isEqualTo("SP");
        r.getCategory().clear();
        assertThat(mapper.map(r, null).orElseThrow().order().section()).isNull();
    }

    @Test
    void withoutAKnownPerformerTheDefaultSiteApplies() throws Exception {
        assertThat(mapper.map(report(DiagnosticReportStatus.FINAL), null).orElseThrow().patient().siteCode())
                .isEqualTo("main");
    }

    @Test
    void aReportNotAboutThePatientGivenOrNotAboutAPatientIsUnmappable() {
        Patient other = new Patient();
        other.setId("p2");
        assertThatThrownBy(() -> mapper.map(report(DiagnosticReportStatus.FINAL), other))
                .isInstanceOf(UnmappableResourceException.class).hasMessageContaining("Patient/p1");
        DiagnosticReport group = report(DiagnosticReportStatus.FINAL).setSubject(new Reference("Group/g1"));
        assertThatThrownBy(() -> mapper.map(group, null)).isInstanceOf(UnmappableResourceException.class);
        DiagnosticReport none = report(DiagnosticReportStatus.FINAL).setSubject(null);
        assertThatThrownBy(() -> mapper.map(none, null)).hasMessage("DiagnosticReport/R1 has no Patient subject");
    }

    // --- the shared corpus --------------------------------------------------------------------------------------

    @Test
    void corpusF201IsAFinalRadiologyReportForPatientF201AtTheDutchSite() throws Exception {
        FhirFixtures.assumeCorpus();
        Mapped m = mapper.map(FhirFixtures.r4("DiagnosticReport-f201"), FhirFixtures.r4("Patient-f201"))
                .orElseThrow();
        assertThat(m.order()).isEqualTo(new OrderFacts("DiagnosticReport/f201", "F", "429858000", "RAD", Set.of(),
                null));
        assertThat(m.patient()).isEqualTo(new PatientFacts("FHIR|Patient/f201", "f201", null, "Roelof Olaf",
                "Bor", "+31612345678", "nl", "blijdorp")); // performer display "Blijdorp MC"
    }

    @Test
    void corpusUltrasoundIsForPatientExampleWhoHasNoWhatsAppNumber() throws Exception {
        FhirFixtures.assumeCorpus();
        Mapped m = mapper.map(FhirFixtures.r4("DiagnosticReport-ultrasound"), FhirFixtures.r4("Patient-example"))
                .orElseThrow();
        assertThat(m.order()).isEqualTo(new OrderFacts("DiagnosticReport/ultrasound", "F", "45036003", "RAD",
                Set.of(), null));
        assertThat(m.patient().patientKey()).isEqualTo("FHIR|Patient/example");
        assertThat(m.patient().givenName()).isEqualTo("Peter");
        assertThat(m.patient().phone()).isNull();
        assertThat(m.patient().siteCode()).isEqualTo("main");
    }

    @Test
    void corpus102NamesAPatientTheCorpusLacks() throws Exception {
        FhirFixtures.assumeCorpus();
        // Patient/pat2 is a dangling reference: mapped by id alone, unreachable until the Patient can be read.
        Mapped m = mapper.map(FhirFixtures.r4("DiagnosticReport-102"), FhirFixtures.r4("Patient-pat2"))
                .orElseThrow();
        assertThat(m.order()).isEqualTo(new OrderFacts("DiagnosticReport/102", "F", "38269-7", null, Set.of(), null));
        assertThat(m.patient()).isEqualTo(new PatientFacts("FHIR|Patient/pat2", "pat2", null, null, null, null,
                null, "main"));
    }
}
