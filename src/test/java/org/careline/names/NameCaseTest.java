package org.careline.names;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Names in capitals or small letters are re-cased; names already in mixed case are kept as written. */
class NameCaseTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            ANNA              | Anna
            anna              | Anna
            McDonald          | McDonald
            MCDONALD          | McDonald
            MACY              | Macy
            MC                | Mc
            O'BRIEN           | O'Brien
            D'ANGELO          | D'Angelo
            SMITH-JONES       | Smith-Jones
            VAN DER BERG      | van der Berg
            van der Berg      | van der Berg
            DE                | De
            DA SILVA          | da Silva
            DeShawn           | DeShawn
            ÉLODIE            | Élodie
            '  ANNA   MARIE ' | Anna Marie
            DR.               | Dr.
            ''                | -
            """)
    void proper(String written, String expected) {
        assertThat(NameCase.proper(written)).isEqualTo(expected);
    }
}
