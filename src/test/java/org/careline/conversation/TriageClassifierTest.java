package org.careline.conversation;

import org.careline.config.ReplyRules;
import org.careline.config.TriageRules;
import org.careline.conversation.TriageClassifier.NoItem;
import org.careline.conversation.TriageClassifier.Situation;
import org.careline.conversation.TriageClassifier.ToQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which queue a patient's message lands in, with the project's own replies.yaml and triage.yaml: what the patient
 * wrote is understood by ReplyClassifier first (as the handler does), then triaged.
 */
class TriageClassifierTest {

    private static final ReplyRules REPLIES = ReplyRules.load(Path.of("mappings"));
    private static final ReplyClassifier INTENTS = new ReplyClassifier(REPLIES);
    private static final TriageClassifier TRIAGE = new TriageClassifier(TriageRules.load(Path.of("mappings")));

    /** queue "-": no item. appointment: the message is tied to one; writeback: its scheduling system takes answers. */
    @ParameterizedTest(name = "[{index}] \"{0}\" appointment={1} writeback={2} → {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            I have chest pain                      | true  | true  | emergency  | EMERGENCY
            I need a refill, I have chest pain     | true  | true  | emergency  | EMERGENCY
            dolor de pecho y necesito receta       | true  | true  | emergency  | EMERGENCY
            I need a refill of my prescription     | true  | true  | pharmacy   | KEYWORD
            Can I get my MEDICATION renewed?       | false | false | pharmacy   | KEYWORD
            Necesito una receta, por favor         | true  | true  | pharmacy   | KEYWORD
            ¡Receta!                               | true  | true  | pharmacy   | KEYWORD
            5                                      | true  | true  | pharmacy   | MENU
            Are my test results back?              | true  | true  | results    | KEYWORD
            ¿Ya están mis resultados?              | true  | true  | results    | KEYWORD
            result                                 | true  | true  | results    | KEYWORD
            refill and results                     | true  | true  | pharmacy   | KEYWORD
            help with my prescription              | true  | true  | pharmacy   | KEYWORD
            change my prescription                 | true  | true  | pharmacy   | KEYWORD
            I have a question about my appointment | true  | true  | scheduling | KEYWORD
            tengo una pregunta sobre mi cita       | true  | true  | scheduling | KEYWORD
            I want to speak to a nurse             | true  | true  | nurse      | KEYWORD
            help                                   | true  | true  | nurse      | HELP
            speak to staff                         | true  | true  | nurse      | HELP
            ayuda                                  | true  | true  | nurse      | HELP
            Is there parking nearby?               | true  | true  | nurse      | NOT_UNDERSTOOD
            ¿Hay aparcamiento?                     | true  | true  | nurse      | NOT_UNDERSTOOD
            reschedule                             | true  | true  | -          | -
            reschedule                             | true  | false | scheduling | CHANGE
            ¡Cambiar cita!                         | true  | false | scheduling | CHANGE
            ¡Cambiar cita!                         | true  | true  | -          | -
            reschedule                             | false | true  | scheduling | NO_APPOINTMENT
            yes                                    | false | true  | scheduling | NO_APPOINTMENT
            cancelar                               | false | true  | scheduling | NO_APPOINTMENT
            yes                                    | true  | true  | -          | -
            cancel prescription                    | true  | true  | -          | -
            directions                             | true  | true  | -          | -
            3                                      | true  | true  | -          | -
            stop                                   | true  | true  | -          | -
            start                                  | true  | true  | -          | -
            thank you                              | true  | true  | -          | -
            gracias                                | true  | true  | -          | -
            """)
    void landsInTheRightQueue(String text, boolean appointment, boolean writeback, String queue, String reason) {
        var decision = TRIAGE.classify(text, INTENTS.classify(text, null).intent(),
                new Situation(appointment, writeback, Set.of()));
        if (queue.equals("-")) {
            assertThat(decision).isInstanceOf(NoItem.class);
        } else {
            assertThat(decision).isInstanceOf(ToQueue.class);
            assertThat(((ToQueue) decision).queue()).isEqualTo(queue);
            assertThat(((ToQueue) decision).reason().name()).isEqualTo(reason);
        }
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" with {1} off → {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            I need a refill        | pharmacy   | nurse      | NOT_UNDERSTOOD
            5                      | pharmacy   | nurse      | NOT_UNDERSTOOD
            refill and results     | pharmacy   | results    | KEYWORD
            yes                    | scheduling | nurse      | NO_APPOINTMENT
            """)
    void aQueueSwitchedOffAtTheSiteIsSkipped(String text, String disabled, String queue, String reason) {
        ToQueue q = (ToQueue) TRIAGE.classify(text, INTENTS.classify(text, null).intent(),
                new Situation(false, true, Set.of(disabled)));
        assertThat(q.queue()).isEqualTo(queue);
        assertThat(q.reason().name()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({"I need a refill, en", "necesito receta, es", "5, ''"})
    void theKeywordsLanguageIsKept(String text, String language) {
        ToQueue q = (ToQueue) TRIAGE.classify(text, INTENTS.classify(text, null).intent(),
                new Situation(true, true, Set.of()));
        assertThat(q.language()).isEqualTo(language == null || language.isEmpty() ? null : language);
    }
}
