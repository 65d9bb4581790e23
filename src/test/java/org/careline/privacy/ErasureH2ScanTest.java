package org.careline.privacy;

import org.careline.support.EngineFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient erased on H2 leaves no trace in the database's files once the engine has stopped: their names, MRN and
 * number in UTF-8, UTF-16LE and UTF-16BE, any letter case, are found nowhere, while the other patient's name is.
 */
class ErasureH2ScanTest {

    @Test
    void anErasedPatientIsNowhereInTheDatabaseFileWhileTheOtherPatientIs() throws Exception {
        EngineFixture fx = EngineFixture.start(ErasureFlow.env(), ErasureFlow.NOW);
        Path data;
        try {
            ErasureFlow.runAndErase(fx);
            data = fx.dataDir;
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
        assertThat(otherFound).as("the other patient's name is still stored").isTrue();
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
