package org.careline.config;

import org.careline.model.AppointmentAction;
import org.careline.support.TestMappings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** fhir.yaml's status table and telecom rules: the shipped file says what a file without them gets. */
class FhirTablesTest {

    @Test
    void theShippedTablesAreTheDefaults() throws IOException {
        FhirMapping shipped = FhirMapping.load(Path.of("mappings"));
        assertThat(shipped.telecom()).isEqualTo(FhirMapping.DEFAULT_TELECOM);
        for (String status : FhirMapping.APPOINTMENT_STATUSES) {
            String word = FhirMapping.DEFAULT_STATUSES.get(status);
            assertThat(shipped.actionFor(status)).as(status).isEqualTo(word.equals("none") ? Optional.empty()
                    : Optional.of(AppointmentAction.fromWord(word)));
        }
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "fhir.yaml", t -> t.substring(0, t.indexOf("\nappointmentStatuses:")) + "\n");
        FhirMapping older = FhirMapping.load(dir);
        assertThat(older.telecom()).isEqualTo(shipped.telecom());
        assertThat(older.actionFor("noshow")).contains(AppointmentAction.NO_SHOW);
    }

    @Test
    void anUnknownStatusMeaningNamesFileLineAndKey() throws IOException {
        Path dir = TestMappings.copy();
        TestMappings.edit(dir, "fhir.yaml", t -> t.replace("  noshow: no-show\n", "  noshow: noshow\n"));
        assertThatThrownBy(() -> FhirMapping.load(dir)).isInstanceOf(MappingException.class)
                .hasMessageMatching(".*fhir\\.yaml, line \\d+, key 'appointmentStatuses\\.noshow': 'noshow' is not one of .*");
    }
}
