package org.careline.privacy;

import org.careline.support.EngineFixture;
import org.careline.support.StaffClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
        List<Path> files;
        try (Stream<Path> all = Files.walk(data)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        List<String> hits = new ArrayList<>();
        boolean otherFound = false;
        for (Path f : files) {
            byte[] lower = lowerAscii(Files.readAllBytes(f));
            for (String form : ErasureFlow.erasedForms()) {
                for (byte[] needle : ErasureFlow.encodings(form)) {
                    if (indexOf(lower, needle) >= 0) {
                        hits.add(f.getFileName() + ": " + form);
                    }
                }
            }
            otherFound |= indexOf(lower, ErasureFlow.OTHER_FAMILY.toLowerCase().getBytes()) >= 0;
        }
        assertThat(hits).as("traces of the erased patient").isEmpty();
        assertThat(otherFound).as("the other patient's name is in the file exactly when it is not sealed")
                .isEqualTo(!sealed);
    }

    /** A-Z → a-z byte by byte: works for UTF-8 and both UTF-16 orders of ASCII text. */
    static byte[] lowerAscii(byte[] b) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] = (byte) (out[i] + 32);
            }
        }
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
