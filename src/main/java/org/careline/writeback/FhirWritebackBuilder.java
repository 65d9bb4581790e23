package org.careline.writeback;

import org.careline.model.PatientMessage;
import org.careline.model.WritebackSubject;
import org.careline.model.WritebackAction;
import org.careline.model.Site;
import org.hl7.fhir.r4.model.AppointmentResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The FHIR writes for one write-back request (pure: no I/O, no clock of its own). Every resource it creates carries
 * the identifier urn:careline:writeback|&lt;request id&gt;[-suffix] and is created only if none has it
 * (If-None-Exist), so a retry after a lost answer makes no second one:
 * <ul>
 *   <li>CONFIRM → AppointmentResponse accepted</li>
 *   <li>CHANGE → AppointmentResponse tentative, then a Task (reschedule) on the Appointment for staff work lists</li>
 *   <li>CANCEL → AppointmentResponse declined; where patients may cancel, then a JSON Patch setting the Appointment
 *       cancelled with reason "pat" (the answer is on record even if the server refuses the patch)</li>
 *   <li>RECORD_MESSAGE → Communication from the Patient about the Appointment, with the message text</li>
 * </ul>
 */
public final class FhirWritebackBuilder {

    public static final String IDENTIFIER_SYSTEM = "urn:careline:writeback";
    public static final String TASK_CODE_SYSTEM = "http://careline.org/fhir/CodeSystem/task-code";
    public static final String CATEGORY_SYSTEM = "http://careline.org/fhir/CodeSystem/communication-category";
    public static final String CANCEL_REASON_SYSTEM =
            "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason";
    public static final String PARTICIPATION_MODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode";
    public static final String CANCEL_TEXT = "Cancelled by the patient via WhatsApp";
    /** Suffix of the Task's identifier: one CHANGE request writes an AppointmentResponse and a Task. */
    public static final String TASK_SUFFIX = "-task";

    /** A FHIR logical id (R4 "id" datatype). */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /**
     * The writes for {@code action} about {@code subject} (its appointmentId and patientId are the FHIR logical ids
     * of the Appointment and Patient), in the order they must be made.
     *
     * @param message the patient's message (RECORD_MESSAGE only)
     * @throws IllegalStateException when the appointment has no FHIR ids (it was not fed from FHIR); names no value
     */
    public List<FhirWrite> build(WritebackAction action, WritebackSubject subject, PatientMessage message,
                                 Site.FhirWriteback options, long requestId, Instant now) {
        String appointment = "Appointment/" + id(subject.appointmentId(), "appointment");
        String patient = "Patient/" + id(subject.patientId(), "patient");
        String value = String.valueOf(requestId);
        return switch (action) {
            case CONFIRM -> List.of(response(value, appointment, patient,
                    AppointmentResponse.ParticipantStatus.ACCEPTED));
            case CHANGE -> List.of(
                    response(value, appointment, patient, AppointmentResponse.ParticipantStatus.TENTATIVE),
                    create(task(value + TASK_SUFFIX, appointment, patient, now), value + TASK_SUFFIX));
            case CANCEL -> options.patientsMayCancel()
                    ? List.of(response(value, appointment, patient, AppointmentResponse.ParticipantStatus.DECLINED),
                    new FhirWrite.Patch(appointment, CANCEL_PATCH))
                    : List.of(response(value, appointment, patient, AppointmentResponse.ParticipantStatus.DECLINED));
            case RECORD_MESSAGE -> {
                if (message == null) {
                    throw new IllegalStateException("the request names no patient message");
                }
                yield List.of(create(communication(value, appointment, patient, message), value));
            }
        };
    }

    /** Status cancelled, with the reason; "add" sets cancelationReason whether or not the Appointment has one. */
    static final String CANCEL_PATCH = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"},"
            + "{\"op\":\"add\",\"path\":\"/cancelationReason\",\"value\":{\"coding\":[{\"system\":\""
            + CANCEL_REASON_SYSTEM + "\",\"code\":\"pat\",\"display\":\"Patient\"}],\"text\":\"" + CANCEL_TEXT
            + "\"}}]";

    /** The conditional-create search for a resource with this identifier value. */
    public static String ifNoneExist(String value) {
        return "identifier=" + IDENTIFIER_SYSTEM + "|" + value;
    }

    private static FhirWrite response(String value, String appointment, String patient,
                                      AppointmentResponse.ParticipantStatus status) {
        AppointmentResponse r = new AppointmentResponse();
        r.addIdentifier(identifier(value));
        r.setAppointment(new Reference(appointment));
        r.setActor(new Reference(patient));
        r.setParticipantStatus(status);
        return create(r, value);
    }

    private static Task task(String value, String appointment, String patient, Instant now) {
        Task t = new Task();
        t.addIdentifier(identifier(value));
        t.setStatus(Task.TaskStatus.REQUESTED);
        t.setIntent(Task.TaskIntent.ORDER);
        t.setCode(new CodeableConcept(new Coding(TASK_CODE_SYSTEM, "reschedule", "Patient asks for another time"))
                .setText("Reschedule appointment"));
        // No PHI: staff open the Appointment for the details.
        t.setDescription("The patient asked via WhatsApp for another appointment time; "
                + "offer a new time and update the Appointment.");
        t.setFocus(new Reference(appointment));
        t.setFor(new Reference(patient));
        t.setRequester(new Reference(patient));
        t.setAuthoredOn(Date.from(now));
        return t;
    }

    private static Communication communication(String value, String appointment, String patient,
                                               PatientMessage m) {
        Communication c = new Communication();
        c.addIdentifier(identifier(value));
        c.setStatus(Communication.CommunicationStatus.COMPLETED);
        c.addCategory(new CodeableConcept(new Coding(CATEGORY_SYSTEM, "patient-message",
                "Message from the patient")).setText("WhatsApp message from the patient"));
        c.addMedium(new CodeableConcept(new Coding(PARTICIPATION_MODE_SYSTEM, "ONLINEWRIT", "online written"))
                .setText("WhatsApp"));
        c.setSubject(new Reference(patient));
        c.setSender(new Reference(patient));
        c.addAbout(new Reference(appointment));
        if (m.sentAt() != null) {
            c.setSentElement(new DateTimeType(Date.from(m.sentAt())));
        }
        c.setReceivedElement(new DateTimeType(Date.from(m.receivedAt())));
        if (m.text() != null) {
            c.addPayload().setContent(new StringType(m.text()));
        }
        return c;
    }

    /** A conditional create on the identifier value the resource carries. */
    private static FhirWrite create(Resource resource, String value) {
        return new FhirWrite.Create(resource, ifNoneExist(value));
    }

    private static Identifier identifier(String value) {
        return new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(value);
    }

    private static String id(String value, String what) {
        if (value == null || !FHIR_ID.matcher(value).matches()) {
            throw new IllegalStateException("the " + what + " has no FHIR id (not fed from the FHIR server)");
        }
        return value;
    }
}
