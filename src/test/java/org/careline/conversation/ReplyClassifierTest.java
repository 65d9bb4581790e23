package org.careline.conversation;

import org.careline.model.Intent;
import org.careline.config.ReplyRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped mappings/replies.yaml, read as a patient would write: any case, accents, punctuation. */
class ReplyClassifierTest {

    private static final ReplyClassifier CLASSIFIER = new ReplyClassifier(ReplyRules.load(Path.of("mappings")));

    @ParameterizedTest(name = "\"{0}\" payload={1} → {2} ({3})")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            CONFIRM                         | -               | CONFIRM   | en
            confirm.                        | -               | CONFIRM   | en
            Yes please!                     | -               | CONFIRM   | en
            ¡Confirmo!                      | -               | CONFIRM   | es
            Sí                              | -               | CONFIRM   | es
            1                               | -               | CONFIRM   | -
            2                               | -               | CHANGE    | -
            3                               | -               | LOCATION  | -
            4                               | -               | HELP      | -
            reschedule                      | -               | CHANGE    | en
            Cambiar cita                    | -               | CHANGE    | es
            CANCEL                          | -               | CANCEL    | en
            cancelar                        | -               | CANCEL    | es
            Where is it?                    | -               | LOCATION  | en
            ¿Dónde?                         | -               | LOCATION  | es
            help                            | -               | HELP      | en
            STOP                            | -               | STOP      | en
            stop please                     | -               | STOP      | en
            Baja                            | -               | STOP      | es
            START                           | -               | START     | en
            I have chest pain               | -               | EMERGENCY | en
            STOP I can't breathe            | -               | EMERGENCY | en
            tengo dolor de pecho            | -               | EMERGENCY | es
            No puedo respirar               | -               | EMERGENCY | es
            Confirm                         | CANCEL          | CANCEL    | -
            anything                        | CONFIRM:42      | CONFIRM   | -
            Thank you!                      | -               | THANKS    | en
            Muchas gracias                  | -               | THANKS    | es
            gracias 5                       | -               | THANKS    | es
            what time is parking open today | -               | OTHER     | -
            5                               | -               | OTHER     | -
            -                               | -               | OTHER     | -
            painting the chest              | -               | OTHER     | -
            """)
    void classifies(String text, String payload, Intent intent, String language) {
        ReplyClassifier.Classification c = CLASSIFIER.classify(text, payload);
        assertThat(c.intent()).isEqualTo(intent);
        assertThat(c.language()).isEqualTo(language);
    }
}
