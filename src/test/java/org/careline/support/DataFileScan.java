package org.careline.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads every file under a stopped engine's data folder as bytes and reports which of the given forms it holds, in
 * UTF-8 and both UTF-16 orders, in any ASCII letter case: what `strings` and a hex editor would find.
 */
public final class DataFileScan {

    private DataFileScan() {
    }

    /** "file: form" for each form (given in lower case) found in a file under {@code dir}. */
    public static List<String> hits(Path dir, List<String> lowerForms) throws Exception {
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("files under " + dir).isNotEmpty();
        List<String> hits = new ArrayList<>();
        for (Path f : files) {
            byte[] lower = lowerAscii(Files.readAllBytes(f));
            for (String form : lowerForms) {
                for (byte[] needle : List.of(form.getBytes(StandardCharsets.UTF_8),
                        form.getBytes(StandardCharsets.UTF_16LE), form.getBytes(StandardCharsets.UTF_16BE))) {
                    if (indexOf(lower, needle) >= 0) {
                        hits.add(f.getFileName() + ": " + form);
                    }
                }
            }
        }
        return hits;
    }

    /** A-Z → a-z byte by byte: works for UTF-8 and both UTF-16 orders of ASCII text. */
    private static byte[] lowerAscii(byte[] b) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] = (byte) (out[i] + 32);
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
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
