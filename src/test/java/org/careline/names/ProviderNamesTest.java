package org.careline.names;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which provider field names a person, and how the name reads to the patient. */
class ProviderNamesTest {

    /** One XCN's parts (id, family, given, title) as a feed sends them → what the patient reads, or nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            capitals with a title             | D1      | SMITH        | ANNA    | DR   | en | Dr Anna Smith
            no title                          | D1      | SMITH        | ANNA    | -    | en | Anna Smith
            title and family name only        | -       | SMITH        | -       | Dr.  | en | Dr. Smith
            family name alone: not shown      | D1      | SMITH        | -       | -    | en | -
            id only: not shown                | kmurphy2| -            | -       | -    | en | -
            login in the family name          | -       | kmurphy2     | KATE    | -    | en | -
            login in the given name           | -       | MURPHY       | km2     | -    | en | -
            mixed case kept                   | -       | McDonald     | Ann     | Dr   | en | Dr Ann McDonald
            Mc in capitals                    | -       | MCDONALD     | ANN     | -    | en | Ann McDonald
            apostrophe                        | -       | O'BRIEN      | SEAN    | DR   | en | Dr Sean O'Brien
            hyphen                            | -       | SMITH-JONES  | MARY    | -    | en | Mary Smith-Jones
            particles in capitals             | -       | VAN DER BERG | PIETER  | DR   | en | Dr Pieter van der Berg
            particles as written              | -       | van der Berg | Pieter  | -    | en | Pieter van der Berg
            Spanish compound surname          | -       | DE LA CRUZ   | MARIA   | DRA  | es | Dra Maria de la Cruz
            French: given first               | -       | DUPONT       | CLAIRE  | DR   | fr | Dr Claire Dupont
            German: given first               | -       | MÜLLER       | JÜRGEN  | DR   | de | Dr Jürgen Müller
            Portuguese particle               | -       | DA SILVA     | JOÃO    | -    | pt | João da Silva
            Italian: given first              | -       | ROSSI        | MARCO   | -    | it | Marco Rossi
            Hungarian: family first           | -       | NAGY         | ANNA    | DR   | hu | Dr Nagy Anna
            Japanese: family first            | -       | TANAKA       | YUKI    | -    | ja | Tanaka Yuki
            no language: given first          | -       | SMITH        | ANNA    | -    | -  | Anna Smith
            small letters                     | -       | smith        | anna    | dr   | en | Dr Anna Smith
            """)
    void personNameFields(String what, String id, String family, String given, String prefix, String language,
                          String expected) {
        assertThat(ProviderNames.display(List.of(new NameSource.Parts(id, family, given, prefix)), language))
                .isEqualTo(java.util.Optional.ofNullable(expected));
    }

    /** A name written as text (AIG-3's text) → what the patient reads, or nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            login id                          | kmurphy2            | -
            e-mail                            | k.murphy@clinic.org | -
            underscore login                  | dr_smith            | -
            one word                          | SMITH               | -
            title and one word                | DR SMITH            | Dr Smith
            written in order, capitals        | DR ANNA SMITH       | Dr Anna Smith
            family comma given                | SMITH, ANNA         | Anna Smith
            mixed case kept                   | Dr. Anna McKay      | Dr. Anna McKay
            a number inside                   | Room 12             | -
            """)
    void writtenNames(String what, String text, String expected) {
        assertThat(ProviderNames.display(List.of(new NameSource.Text(text)), "en"))
                .isEqualTo(java.util.Optional.ofNullable(expected));
    }

    /** Sources in the mapping's order: the first that names a person wins, a login before it does not hide it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            AIP person first                  | SMITH^ANNA^DR      | kmurphy2  | ATTEND^AARON^Dr | Dr Anna Smith
            AIG login, then PV1-7             | -                  | kmurphy2  | ATTEND^AARON^Dr | Dr Aaron Attend
            AIG written name                  | -                  | Dr K Lee  | ATTEND^AARON^Dr | Dr K Lee
            id-only AIP, login AIG, no PV1-7  | ^^                 | kmurphy2  | -               | -
            nothing at all                    | -                  | -         | -               | -
            """)
    void firstPersonWins(String what, String aip, String aig, String pv17, String expected) {
        List<NameSource> sources = new ArrayList<>();
        if (aip != null) {
            String[] p = (aip + "^^^").split("\\^", -1);
            sources.add(new NameSource.Parts("D1", blank(p[0]), blank(p[1]), blank(p[2])));
        }
        if (aig != null) {
            sources.add(new NameSource.Text(aig));
        }
        if (pv17 != null) {
            String[] p = pv17.split("\\^", -1);
            sources.add(new NameSource.Parts("0210", p[0], p[1], p[2]));
        }
        assertThat(ProviderNames.display(sources, "en")).isEqualTo(java.util.Optional.ofNullable(expected));
    }

    private static String blank(String s) {
        return s.isEmpty() ? null : s;
    }
}
