package org.careline.privacy;

import org.careline.support.EngineFixture;
import org.careline.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same erasure on PostgreSQL: every text column of every table is searched (any letter case) for the erased
 * patient's names, MRN and number forms: none is found, while the other patient's name is.
 */
class ErasurePostgresScanTest {

    @ParameterizedTest(name = "encryption at rest: {0}")
    @ValueSource(booleans = {false, true})
    void anErasedPatientIsInNoTextColumnWhileTheOtherPatientIs(boolean sealed) throws Exception {
        Map<String, String> env = new HashMap<>(ErasureFlow.env());
        if (sealed) {
            env.put("CARELINE_MASTER_KEY", org.careline.keys.EncryptionAtRestTest.randomKey());
        }
        env.putAll(Postgres.freshDatabaseEnv());
        try (EngineFixture fx = EngineFixture.start(env, ErasureFlow.NOW)) {
            ErasureFlow.runAndErase(fx);
            List<Map<String, Object>> columns = fx.query("SELECT table_name, column_name FROM information_schema.columns "
                    + "WHERE table_schema = 'public' AND data_type IN ('character varying', 'text', 'character')");
            assertThat(columns).hasSizeGreaterThan(50);
            List<String> hits = new ArrayList<>();
            long other = 0;
            for (Map<String, Object> col : columns) {
                String table = (String) col.get("TABLE_NAME");
                String column = (String) col.get("COLUMN_NAME");
                for (String form : ErasureFlow.erasedForms()) {
                    if (fx.count("SELECT COUNT(*) FROM " + table + " WHERE LOWER(" + column + ") LIKE ?",
                            "%" + form + "%") > 0) {
                        hits.add(table + "." + column + ": " + form);
                    }
                }
                other += fx.count("SELECT COUNT(*) FROM " + table + " WHERE LOWER(" + column + ") LIKE ?",
                        "%" + ErasureFlow.OTHER_FAMILY.toLowerCase() + "%");
            }
            assertThat(hits).as("traces of the erased patient").isEmpty();
            if (sealed) {
                // Sealed in the tables: the other patient is there, found by MRN, under their name.
                assertThat(other).as("the other patient's name in clear").isZero();
                assertThat(new org.careline.support.StaffClient(fx.httpPort()).signedIn("admin", ErasureFlow.PASSWORD)
                        .get("/api/v1/patients?mrn=" + ErasureFlow.OTHER_MRN).body()).contains(ErasureFlow.OTHER_FAMILY);
            } else {
                assertThat(other).as("the other patient's name is still stored").isPositive();
            }
        }
    }
}
