package org.careline.writeback;

import org.careline.model.PatientMessage;
import org.careline.model.WritebackSubject;
import org.careline.model.WritebackChannel;
import org.careline.model.WritebackAction;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.careline.model.Site;
import org.hl7.fhir.r4.model.AppointmentResponse;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The FHIR writes for each request, without a server: what is created, with which identifier, in which order. */
class FhirWritebackBuilderTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static final Site.FhirWriteback DEFAULTS = Site.FhirWriteback.DEFAULT;
    private static final Site.FhirWriteback MAY_CANCEL = new Site.FhirWriteback(true, false);
    private static final FhirWritebackBuilder BUILDER = new FhirWritebackBuilder();
    private static final FhirContext R4 = FhirContext.forR4Cached();

    private static WritebackSubject subject(String appointmentId, String patientId) {
        return new WritebackSubject("FHIR", null, appointmentId, null, appointmentId, patientId, null, "Ana",
                "Lopez", NOW.plusSeconds(86400 * 3), 30, null, null);
    }

    private static final WritebackSubject FHIR_APPT = subject("appt-17", "pat-4");

    @ParameterizedTest(name = "{0} → AppointmentResponse {1}")
    @CsvSource({"CONFIRM, ACCEPTED", "CANCEL, DECLINED"})
    void anAnswerIsOneConditionallyCreatedAppointmentResponse(WritebackAction action,
                                                              AppointmentResponse.ParticipantStatus status) {
        List<FhirWrite> writes = BUILDER.build(action, FHIR_APPT, null, DEFAULTS, 42, NOW);

        assertThat(writes).hasSize(1);
        FhirWrite.Create create = (FhirWrite.Create) writes.get(0);
        assertThat(create.ifNoneExist()).isEqualTo("identifier=urn:careline:writeback|42");
        AppointmentResponse r = (AppointmentResponse) create.resource();
        assertThat(r.getParticipantStatus()).isEqualTo(status);
        assertThat(r.getAppointment().getReference()).isEqualTo("Appointment/appt-17");
        assertThat(r.getActor().getReference()).isEqualTo("Patient/pat-4");
        assertThat(r.getIdentifier()).singleElement().satisfies(id -> {
            assertThat(id.getSystem()).isEqualTo("urn:careline:writeback");
            assertThat(id.getValue()).isEqualTo("42");
        });
    }

    @Test
    void aChangeIsATentativeAnswerThenARescheduleTaskForStaffEachWithItsOwnIdentifier() {
        List<FhirWrite> writes = BUILDER.build(WritebackAction.CHANGE, FHIR_APPT, null, DEFAULTS, 7, NOW);

        assertThat(writes).hasSize(2);
        FhirWrite.Create answer = (FhirWrite.Create) writes.get(0);
        assertThat(((AppointmentResponse) answer.resource()).getParticipantStatus())
                .isEqualTo(AppointmentResponse.ParticipantStatus.TENTATIVE);
        assertThat(answer.ifNoneExist()).isEqualTo("identifier=urn:careline:writeback|7");
        FhirWrite.Create task = (FhirWrite.Create) writes.get(1);
        assertThat(task.ifNoneExist()).isEqualTo("identifier=urn:careline:writeback|7-task");
        Task t = (Task) task.resource();
        assertThat(t.getIdentifierFirstRep().getValue()).isEqualTo("7-task");
        assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(t.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(t.getCode().getCodingFirstRep().getSystem()).isEqualTo(FhirWritebackBuilder.TASK_CODE_SYSTEM);
        assertThat(t.getCode().getCodingFirstRep().getCode()).isEqualTo("reschedule");
        assertThat(t.getCode().getCodingFirstRep().getDisplay()).isEqualTo("Patient asks for another time");
        assertThat(t.getFocus().getReference()).isEqualTo("Appointment/appt-17");
        assertThat(t.getFor().getReference()).isEqualTo("Patient/pat-4");
        assertThat(t.getAuthoredOn().toInstant()).isEqualTo(NOW);
        assertThat(t.getDescription()).doesNotContain("Ana").doesNotContain("Lopez");
    }

    @Test
    void whereSitesLetPatientsCancelTheAppointmentIsAlsoPatchedToCancelledWithThePatientAsReason() throws Exception {
        List<FhirWrite> writes = BUILDER.build(WritebackAction.CANCEL, FHIR_APPT, null, MAY_CANCEL, 9, NOW);

        assertThat(writes).hasSize(2);
        assertThat(((AppointmentResponse) ((FhirWrite.Create) writes.get(0)).resource()).getParticipantStatus())
                .isEqualTo(AppointmentResponse.ParticipantStatus.DECLINED);
        FhirWrite.Patch patch = (FhirWrite.Patch) writes.get(1);
        assertThat(patch.reference()).isEqualTo("Appointment/appt-17");
        JsonNode ops = new ObjectMapper().readTree(patch.jsonPatch());
        assertThat(ops).hasSize(2);
        assertThat(ops.get(0).path("op").asText()).isEqualTo("replace");
        assertThat(ops.get(0).path("path").asText()).isEqualTo("/status");
        assertThat(ops.get(0).path("value").asText()).isEqualTo("cancelled");
        assertThat(ops.get(1).path("path").asText()).isEqualTo("/cancelationReason");
        JsonNode reason = ops.get(1).path("value");
        assertThat(reason.path("text").asText()).isEqualTo("Cancelled by the patient via WhatsApp");
        assertThat(reason.path("coding").get(0).path("system").asText())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason");
        assertThat(reason.path("coding").get(0).path("code").asText()).isEqualTo("pat");
    }

    @Test
    void aRecordedMessageIsACommunicationFromThePatientAboutTheAppointmentWithItsText() {
        Instant sent = NOW.minusSeconds(5);
        PatientMessage m = new PatientMessage("Can I bring my daughter?", sent, NOW);
        List<FhirWrite> writes = BUILDER.build(WritebackAction.RECORD_MESSAGE, FHIR_APPT, m, DEFAULTS, 11, NOW);

        assertThat(writes).hasSize(1);
        FhirWrite.Create create = (FhirWrite.Create) writes.get(0);
        assertThat(create.ifNoneExist()).isEqualTo("identifier=urn:careline:writeback|11");
        Communication c = (Communication) create.resource();
        assertThat(c.getStatus()).isEqualTo(Communication.CommunicationStatus.COMPLETED);
        assertThat(c.getSubject().getReference()).isEqualTo("Patient/pat-4");
        assertThat(c.getSender().getReference()).isEqualTo("Patient/pat-4");
        assertThat(c.getAbout()).extracting(r -> r.getReference()).containsExactly("Appointment/appt-17");
        assertThat(c.getMediumFirstRep().getText()).isEqualTo("WhatsApp");
        assertThat(c.getSent().toInstant()).isEqualTo(sent);
        assertThat(c.getReceived().toInstant()).isEqualTo(NOW);
        assertThat(c.getPayloadFirstRep().getContentStringType().getValue()).isEqualTo("Can I bring my daughter?");
        assertThat(c.getIdentifierFirstRep().getValue()).isEqualTo("11");
    }

    @Test
    void everyResourceIsValidR4Json() {
        PatientMessage m = new PatientMessage("hello", NOW, NOW);
        for (WritebackAction action : WritebackAction.values()) {
            for (FhirWrite w : BUILDER.build(action, FHIR_APPT, m, MAY_CANCEL, 3, NOW)) {
                if (w instanceof FhirWrite.Create c) {
                    String json = R4.newJsonParser().encodeResourceToString(c.resource());
                    assertThat(R4.newJsonParser().parseResource(json).fhirType()).isEqualTo(c.resource().fhirType());
                }
            }
        }
    }

    @ParameterizedTest(name = "appointment id {0}")
    @NullSource
    @ValueSource(strings = {"APT 1", "FL|9", ""})
    void anAppointmentWithoutAFhirIdCannotBeWritten(String appointmentId) {
        assertThatThrownBy(() -> BUILDER.build(WritebackAction.CONFIRM, subject(appointmentId, "pat-4"), null,
                DEFAULTS, 1, NOW)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the appointment has no FHIR id (not fed from the FHIR server)");
    }

    @Test
    void aPatientWithoutAFhirIdCannotBeWritten() {
        assertThatThrownBy(() -> BUILDER.build(WritebackAction.CONFIRM, subject("appt-1", "MRN 77|HOSP"), null,
                DEFAULTS, 1, NOW)).isInstanceOf(IllegalStateException.class).hasMessageContaining("patient");
    }

    @ParameterizedTest(name = "{0} with site choice {1} for a {2} appointment → {3}")
    @CsvSource(nullValues = "-", value = {
            "CONFIRM, -, FHIR, FHIR",
            "CONFIRM, -, EHR|HOSP, HL7",
            "CANCEL, HL7, FHIR, HL7",
            "CHANGE, FHIR, EHR|HOSP, FHIR",
            "RECORD_MESSAGE, HL7, FHIR, FHIR",
            "RECORD_MESSAGE, -, FHIR, FHIR"})
    void theChannelIsTheSitesChoiceElseTheWayTheAppointmentCameIn(WritebackAction action, Site.Scheduling choice,
                                                                  String source, WritebackChannel expected) {
        assertThat(WritebackChannel.of(action, choice, source)).isEqualTo(expected);
    }
}
