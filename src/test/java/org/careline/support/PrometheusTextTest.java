package org.careline.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test parser is strict: what the exposition format forbids, it refuses. */
class PrometheusTextTest {

    @Test
    void readsFamiliesWithTheirHelpTypeLabelsAndValues() {
        var f = PrometheusText.parse("""
                # HELP a_total Things, with a \\\\ and a \\n in the help
                # TYPE a_total counter
                a_total{x="1",y="q\\"uo\\\\te\\n"} 3.0
                a_total{x="2",} 4 1700000000000
                # HELP s_seconds A summary
                # TYPE s_seconds summary
                s_seconds_count 2
                s_seconds_sum 0.5
                # TYPE g gauge
                g NaN
                g{k="v"} +Inf
                untyped_one -1e-3
                """);
        assertThat(f.get("a_total").type).isEqualTo("counter");
        assertThat(f.get("a_total").help).isEqualTo("Things, with a \\ and a \n in the help");
        assertThat(f.get("a_total").sum("a_total")).isEqualTo(7);
        assertThat(f.get("a_total").samples.get(0).labels()).containsEntry("y", "q\"uo\\te\n");
        assertThat(f.get("s_seconds").sum("s_seconds_count")).isEqualTo(2);
        assertThat(f.get("g").samples).hasSize(2);
        assertThat(f.get("untyped_one").type).isEqualTo("untyped");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', value = {
            "1a 1;                                   a name may not start with a digit",
            "a{1x=\"v\"} 1;                          nor a label name",
            "a{x=v} 1;                               label values are quoted",
            "a{x=\"v\\t\"} 1;                        only \\\\ \\\" \\n escape",
            "a{x=\"v\",x=\"w\"} 1;                   a label once per sample",
            "a 1<NL>a 2;                             a series once",
            "a one;                                  a value is a number",
            "a 1 12.5;                               a timestamp is an integer",
            "a;                                      a sample has a value",
            "# TYPE a counter<NL># TYPE a gauge;     one TYPE per family",
            "# TYPE a bogus;                         a known TYPE",
            "a 1<NL># TYPE a counter;                TYPE before the samples",
            "a{x=\"1\"} 1<NL>b 1<NL>a{x=\"2\"} 1;    a family's samples together",
            "# TYPE h histogram<NL>h_bucket 1;       a bucket has le",
            "# TYPE s summary<NL>s 1;                a summary's own samples have quantile"})
    void refuses(String text, String why) {
        assertThatThrownBy(() -> PrometheusText.parse(text.replace("<NL>", "\n") + "\n")).as(why)
                .isInstanceOf(PrometheusText.Invalid.class);
    }
}
