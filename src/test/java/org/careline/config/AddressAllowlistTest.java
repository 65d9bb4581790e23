package org.careline.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CARELINE_MLLP_ALLOW: which sources a list lets in, and which lists are refused with the variable's name. */
class AddressAllowlistTest {

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource(delimiter = ';', value = {
            "10.1.2.3;               10.1.2.3;      true",
            "10.1.2.3;               10.1.2.4;      false",
            "10.20.0.0/16;           10.20.255.1;   true",
            "10.20.0.0/16;           10.21.0.1;     false",
            "10.20.0.0/16, 192.168.1.0/24; 192.168.1.77; true",
            "0.0.0.0/0;              203.0.113.9;   true",
            "fd00::/8;               fd12:3456::1;  true",
            "fd00::/8;               fe80::1;       false",
            "::1;                    ::1;           true",
            "10.0.0.0/8;             ::1;           false",
            "'';                     203.0.113.9;   true"})
    void allows(String list, String source, boolean allowed) throws Exception {
        assertThat(AddressAllowlist.parse("CARELINE_MLLP_ALLOW", list).allows(InetAddress.getByName(source)))
                .isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = ';', value = {"ehr.example.org", "10.1.2.300", "10.0.0.0/33", "fd00::/129", "10.0.0.0/",
            "10.0.0.0/x", "10.1.2.3, nonsense"})
    void wrongEntriesNameTheVariable(String list) {
        assertThatThrownBy(() -> AddressAllowlist.parse("CARELINE_MLLP_ALLOW", list))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CARELINE_MLLP_ALLOW must list IPv4/IPv6 addresses or CIDR blocks");
    }
}
