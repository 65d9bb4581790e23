package org.careline.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.careline.config.SiteDirectory;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared FHIR corpus (read in place, may be absent) and a sites.yaml with a Dutch site for its examples. */
final class FhirFixtures {

    static final Path CORPUS = Path.of("../shared/corpus/fhir");
    static final Path R4 = CORPUS.resolve("r4-examples");
    static final Path BACKPORT = CORPUS.resolve("backport-notifications");

    private FhirFixtures() {
    }

    static void assumeCorpus() {
        assumeTrue(Files.isDirectory(R4) && Files.isDirectory(BACKPORT), "../shared/corpus/fhir is absent");
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An r4-examples resource by file name without ".json"; null when the corpus does not hold it. */
    @SuppressWarnings("unchecked")
    static <T extends Resource> T r4(String name) {
        Path file = R4.resolve(name + ".json");
        if (!Files.exists(file)) {
            return null;
        }
        return (T) FhirContext.forR4Cached().newJsonParser().parseResource(new String(bytes(file)));
    }

    /**
     * main (default, US), burgers (NL: Location-1's identifier B1-S.F2), blijdorp (NL: DiagnosticReport-f201's
     * performer display), gh-clinic (US, matched by "Location/gh").
     */
    static SiteDirectory sites(Path dir) {
        try {
            Files.writeString(dir.resolve("sites.yaml"), """
                    defaultSite: main
                    sites:
                      main:
                        name: Main
                        zone: default
                      burgers:
                        name: Burgers University Medical Center
                        zone: Europe/Amsterdam
                        phoneRegion: NL
                        matches: ["B1-S.F2"]
                      blijdorp:
                        name: Blijdorp MC
                        zone: Europe/Amsterdam
                        phoneRegion: NL
                        matches: ["Blijdorp MC"]
                      gh-clinic:
                        name: GH Clinic
                        zone: America/Detroit
                        matches: ["Location/gh", "LAB-7"]
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SiteDirectory.load(dir, ZoneId.of("America/New_York"), "US");
    }
}
