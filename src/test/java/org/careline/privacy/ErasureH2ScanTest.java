package org.careline.privacy;

import org.careline.support.DataFileScan;
import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient erased on H2 leaves no trace in the database's files once the engine has stopped: their names, MRN and
 * number in UTF-8, UTF-16LE and UTF-16BE, any letter case, are found nowhere, while the other patient's name is
 * (in clear without a master key; with one, sealed in the file and read back through the API).
 */
class ErasureH2ScanTest {

    @ParameterizedTest(name = "encryption at rest: {0}")
    @ValueSource(booleans = {false, true})
    void anErasedPatientIsNowhereInTheDatabaseFileWhileTheOtherPatientIs(boolean sealed) throws Exception {
        Map<String, String> env = new HashMap<>(ErasureFlow.env());
        if (sealed) {
            env.put("CARELINE_MASTER_KEY", org.careline.keys.EncryptionAtRestTest.randomKey());
        }
        EngineFixture fx = EngineFixture.start(env, ErasureFlow.NOW);
        Path data;
        try {
            ErasureFlow.runAndErase(fx);
            data = fx.dataDir;
            String other = new StaffClient(fx.httpPort()).signedIn("admin", ErasureFlow.PASSWORD)
                    .get("/api/v1/patients?mrn=" + ErasureFlow.OTHER_MRN).body();
            assertThat(other).as("the other patient reads as before").contains(ErasureFlow.OTHER_FAMILY);
        } finally {
            fx.close();
        }
        List<String> hits = DataFileScan.hits(data, ErasureFlow.erasedForms());
        boolean otherFound = !DataFileScan.hits(data,
                List.of(ErasureFlow.OTHER_FAMILY.toLowerCase(Locale.ROOT))).isEmpty();
        assertThat(hits).as("traces of the erased patient").isEmpty();
        assertThat(otherFound).as("the other patient's name is in the file exactly when it is not sealed")
                .isEqualTo(!sealed);
    }
}
