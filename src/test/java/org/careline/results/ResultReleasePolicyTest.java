package org.careline.results;

import org.careline.model.OrderPrior;
import org.careline.model.ResultRules;
import org.careline.results.ResultReleasePolicy.NoticePlan;
import org.careline.model.OrderFacts;
import org.careline.results.ResultReleasePolicy.Plan;
import org.careline.model.MessageKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ResultReleasePolicyTest {

    private static final Instant NOW = Instant.parse("2030-03-05T19:00:00Z");
    private static final ResultRules RULES = new ResultRules(
            Map.of("F", ResultRules.Notice.AVAILABLE, "C", ResultRules.Notice.UPDATED),
            Duration.ofMinutes(15), Duration.ofDays(30), Set.of("AU", "LA"), Set.of("CA"),
            List.of(new ResultRules.Category("hiv", Set.of("56888-1"), Set.of(), Set.of(), Set.of(), true, null),
                    new ResultRules.Category("genetics", Set.of(), Set.of(), Set.of("GENLAB"), Set.of(), true, null),
                    new ResultRules.Category("pathology", Set.of(), Set.of("SP"), Set.of(), Set.of("PATH"), false,
                            Duration.ofHours(72))));

    @ParameterizedTest(name = "OBR-25 ''{0}'', OBX-11 ''{1}'' → {2}")
    @CsvSource(nullValues = "-", textBlock = """
            F,  P P,   F
            c,  F,     C
            -,  F F,   F
            -,  F C,   C
            -,  X X,   X
            -,  F X,   F
            -,  F P,   P
            -,  I F,   I
            -,  -,     -
            '', '',    -
            """)
    void effectiveStatusIsObr25ElseJudgedFromObx11(String obr25, String obx11, String expected) {
        List<String> obx = obx11 == null || obx11.isBlank() ? List.of() : Arrays.asList(obx11.split(" "));
        assertThat(ResultReleasePolicy.effectiveStatus(obr25, obx)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} (announced before: {1}) → {2}")
    @CsvSource(nullValues = "-", textBlock = """
            F, false, RESULTS_AVAILABLE
            F, true,  -
            C, false, RESULTS_UPDATED
            C, true,  RESULTS_UPDATED
            P, false, -
            I, false, -
            R, false, -
            S, false, -
            X, true,  -
            """)
    void statusRules(String status, boolean announced, MessageKind expected) {
        Plan plan = ResultReleasePolicy.plan(List.of(order("A", status)), Map.of("A", new OrderPrior(announced, false)),
                NOW, Optional.empty(), RULES, false);
        assertThat(plan.notices().stream().map(NoticePlan::kind).findFirst().orElse(null)).isEqualTo(expected);
        assertThat(plan.withdrawn()).isEqualTo("X".equals(status) ? List.of("A") : List.of());
    }

    @Test
    void preliminaryCanBeMadeToNotifyByConfiguration() {
        ResultRules loud = new ResultRules(Map.of("P", ResultRules.Notice.AVAILABLE), Duration.ofMinutes(15),
                Duration.ofDays(1), Set.of(), Set.of(), List.of());
        assertThat(ResultReleasePolicy.plan(List.of(order("A", "P")), Map.of(), NOW, Optional.empty(), loud, false)
                .notices()).hasSize(1);
    }

    @Test
    void severalOrdersOfOneMessageMakeOneNotice() {
        Plan plan = ResultReleasePolicy.plan(List.of(order("A", "F"), order("B", "F"), order("C", "P")), Map.of(),
                NOW, Optional.empty(), RULES, false);
        assertThat(plan.notices()).extracting(NoticePlan::kind, NoticePlan::releaseAt, NoticePlan::fold,
                NoticePlan::orderKeys).containsExactly(tuple(MessageKind.RESULTS_AVAILABLE, NOW, false, List.of("A", "B")));
    }

    @ParameterizedTest(name = "last announcement {0} min ago → fold {1}")
    @CsvSource(nullValues = "-", textBlock = """
            0,  true
            14, true
            15, false
            60, false
            -,  false
            """)
    void finalsWithinTheWindowAfterAnAnnouncementAreFolded(Long minutesAgo, boolean fold) {
        Optional<Instant> last = Optional.ofNullable(minutesAgo).map(m -> NOW.minus(Duration.ofMinutes(m)));
        Plan plan = ResultReleasePolicy.plan(List.of(order("A", "F")), Map.of(), NOW, last, RULES, false);
        assertThat(plan.notices()).singleElement().extracting(NoticePlan::fold).isEqualTo(fold);
    }

    @Test
    void aCorrectionIsNeverFolded() {
        Plan plan = ResultReleasePolicy.plan(List.of(order("A", "C")), Map.of(), NOW,
                Optional.of(NOW.minusSeconds(60)), RULES, false);
        assertThat(plan.notices()).singleElement().extracting(NoticePlan::kind, NoticePlan::fold)
                .containsExactly(MessageKind.RESULTS_UPDATED, false);
    }

    @Test
    void heldCategoriesAreNeverAnnouncedAndDelayedOnesGoInTheirOwnLaterNotice() {
        OrderFacts hiv = new OrderFacts("H", "F", "56888-1", null, Set.of(), null);
        OrderFacts gen = new OrderFacts("G", "F", "X1", null, Set.of("genlab"), null);
        OrderFacts path = new OrderFacts("P", "F", "88305", "SP", Set.of(), null);
        Plan plan = ResultReleasePolicy.plan(List.of(hiv, gen, path, order("A", "F")), Map.of(), NOW,
                Optional.of(NOW.minusSeconds(60)), RULES, false);
        assertThat(plan.held()).containsExactly("H", "G");
        assertThat(plan.categoryOf()).containsEntry("H", "hiv").containsEntry("P", "pathology");
        assertThat(plan.notices()).extracting(NoticePlan::releaseAt, NoticePlan::fold, NoticePlan::orderKeys)
                .containsExactly(tuple(NOW.plus(Duration.ofHours(72)), false, List.of("P")),
                        tuple(NOW, true, List.of("A")));
    }

    @Test
    void documentsBecomeDocumentNoticesAndMatchOnDocumentType() {
        Plan plan = ResultReleasePolicy.plan(List.of(new OrderFacts("D", "F", null, null, Set.of(), "DS"),
                new OrderFacts("E", "F", null, null, Set.of(), "PATH")), Map.of(), NOW, Optional.empty(), RULES, true);
        assertThat(plan.notices()).extracting(NoticePlan::kind, NoticePlan::orderKeys)
                .containsExactly(tuple(MessageKind.DOCUMENT_AVAILABLE, List.of("D")),
                        tuple(MessageKind.DOCUMENT_AVAILABLE, List.of("E")));
    }

    private static OrderFacts order(String key, String status) {
        return new OrderFacts(key, status, "2345-7", "CH", Set.of(), null);
    }
}
