package org.careline.store.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sealing and opening column values: what opens, what refuses, and what a stored value reveals. */
class FieldCipherTest {

    private static final MasterKey MASTER = MasterKey.fromBase64(randomKey());

    private static String randomKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static FieldCipher cipher(MasterKey master, KeyRing.Wrapped... keys) {
        return FieldCipher.with(KeyRing.open(master, List.of(keys)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "patient.family_name | Smith",
            "patient.given_name  | Zoë-Ånne",
            "outbox.body         | '{\"name\":\"María José\",\"when\":\"3 Dec 09:30\"}'",
            "patient.phone_e164  | +16085551234",
            "inbound.raw         | ''",
    })
    void aSealedValueOpensToWhatWasSealedAndShowsNoneOfIt(String column, String plain) {
        FieldCipher c = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"));
        String stored = c.seal(column, plain);
        assertThat(stored).startsWith("enc:v1:k1:");
        if (!plain.isEmpty()) {
            assertThat(stored).doesNotContain(plain);
        }
        assertThat(c.open(column, stored)).isEqualTo(plain);
    }

    @Test
    void theSameTextSealsDifferentlyEachTime() {
        FieldCipher c = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"));
        assertThat(c.seal("patient.family_name", "Smith")).isNotEqualTo(c.seal("patient.family_name", "Smith"));
    }

    @Test
    void aValueMovedToAnotherColumnDoesNotOpen() {
        FieldCipher c = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"));
        String stored = c.seal("patient.family_name", "Smith");
        assertThatThrownBy(() -> c.open("patient.given_name", stored))
                .isInstanceOf(FieldCipher.SealedValueException.class)
                .hasMessageContaining("patient.given_name").hasMessageNotContaining("Smith");
    }

    @Test
    void aChangedByteDoesNotOpen() {
        FieldCipher c = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"));
        String stored = c.seal("outbox.body", "your appointment");
        char last = stored.charAt(stored.length() - 2);
        String changed = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A')
                + stored.charAt(stored.length() - 1);
        assertThatThrownBy(() -> c.open("outbox.body", changed)).isInstanceOf(FieldCipher.SealedValueException.class);
    }

    @Test
    void anotherMasterKeyOpensNoDataKey() {
        KeyRing.Wrapped k1 = KeyRing.newDataKey(MASTER, "k1");
        MasterKey other = MasterKey.fromBase64(randomKey());
        assertThatThrownBy(() -> KeyRing.open(other, List.of(k1)))
                .isInstanceOf(KeyRing.WrongMasterKeyException.class).hasMessageContaining("CARELINE_MASTER_KEY");
    }

    @Test
    void aWrappedKeyPassedOffUnderAnotherIdDoesNotOpen() {
        KeyRing.Wrapped k1 = KeyRing.newDataKey(MASTER, "k1");
        assertThatThrownBy(() -> KeyRing.open(MASTER, List.of(new KeyRing.Wrapped("k2", k1.wrapped()))))
                .isInstanceOf(KeyRing.WrongMasterKeyException.class);
    }

    @Test
    void afterARotationOldValuesOpenAndNewOnesUseTheNewKey() {
        KeyRing.Wrapped k1 = KeyRing.newDataKey(MASTER, "k1");
        String old = cipher(MASTER, k1).seal("patient.family_name", "Smith");
        FieldCipher rotated = cipher(MASTER, k1, KeyRing.newDataKey(MASTER, "k2"));
        assertThat(rotated.open("patient.family_name", old)).isEqualTo("Smith");
        assertThat(rotated.needsResealing(old)).isTrue();
        String fresh = rotated.seal("patient.family_name", "Smith");
        assertThat(FieldCipher.keyIdOf(fresh)).isEqualTo("k2");
        assertThat(rotated.needsResealing(fresh)).isFalse();
    }

    @Test
    void lookupHashesMatchUnderOneMasterKeySurviveRotationAndDifferUnderAnother() {
        FieldCipher c = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"));
        FieldCipher rotated = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"), KeyRing.newDataKey(MASTER, "k2"));
        MasterKey otherKey = MasterKey.fromBase64(randomKey());
        FieldCipher other = cipher(otherKey, KeyRing.newDataKey(otherKey, "k1"));
        String h = c.lookupHash("phone", "+16085551234");
        assertThat(h).startsWith("h1:").doesNotContain("6085551234");
        assertThat(rotated.lookupHash("phone", "+16085551234")).isEqualTo(h);
        assertThat(c.lookupHash("phone", "+16085551235")).isNotEqualTo(h);
        assertThat(c.lookupHash("mrn", "+16085551234")).isNotEqualTo(h);
        assertThat(other.lookupHash("phone", "+16085551234")).isNotEqualTo(h);
    }

    @Test
    void withoutAKeyTextPassesAsItIsButSealedTextDoesNotOpen() {
        FieldCipher off = FieldCipher.off();
        assertThat(off.enabled()).isFalse();
        assertThat(off.seal("patient.family_name", "Smith")).isEqualTo("Smith");
        assertThat(off.open("patient.family_name", "Smith")).isEqualTo("Smith");
        assertThat(off.lookupHash("phone", "+16085551234")).isEqualTo("+16085551234");
        String sealed = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1")).seal("patient.family_name", "Smith");
        assertThatThrownBy(() -> off.open("patient.family_name", sealed))
                .hasMessageContaining("no master key");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not base64 at all!   | is not base64",
            "c2hvcnQ=             | must be 32 bytes",
            "''                   | must be 32 bytes",
    })
    void aBadMasterKeyIsRefusedWithoutEchoingIt(String text, String problem) {
        assertThatThrownBy(() -> MasterKey.fromBase64(text)).hasMessageContaining(problem)
                .satisfies(e -> {
                    if (!text.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(text.strip());
                    }
                });
    }

    @Test
    void aKeyFileWithATrailingNewlineReads() {
        assertThat(MasterKey.fromBase64(randomKey() + "\n")).hasToString("MasterKey[hidden]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a pair written with a key: the sealed half opens | SEALED | h1:xyz       | +16085551234",
            "a row from before the key: the lookup is clear  | ''     | +16085551234 | +16085551234",
            "a hash without its sealed half reads as nothing | ''     | h1:xyz       | ''",
            "erased                                          | ''     | erased       | erased",
    })
    void aHashAndSealedPairReadsAsTheValue(String why, String sealed, String lookup, String expected) {
        FieldCipher c = cipher(MASTER, KeyRing.newDataKey(MASTER, "k1"));
        String stored = sealed.equals("SEALED") ? c.sealPair("patient.phone_sealed", "+16085551234") : null;
        assertThat(c.openPair("patient.phone_sealed", stored, lookup)).as(why)
                .isEqualTo(expected.isEmpty() ? null : expected);
    }

    @Test
    void aReloadedRingSealsWithItsNewKeyAndStillOpensTheOld() {
        KeyRing.Wrapped k1 = KeyRing.newDataKey(MASTER, "k1");
        FieldCipher c = cipher(MASTER, k1);
        String old = c.seal("outbox.body", "hello");
        String hash = c.lookupHash(FieldCipher.PHONE, "+16085551234");
        c.reload(KeyRing.open(MASTER, List.of(k1, KeyRing.newDataKey(MASTER, "k2"))));
        assertThat(c.seal("outbox.body", "hello")).startsWith("enc:v1:k2:");
        assertThat(c.open("outbox.body", old)).isEqualTo("hello");
        assertThat(c.needsResealing(old)).isTrue();
        assertThat(c.lookupHash(FieldCipher.PHONE, "+16085551234")).as("hashes outlive rotations").isEqualTo(hash);
        assertThatThrownBy(() -> FieldCipher.off().reload(KeyRing.open(MASTER, List.of(k1))))
                .isInstanceOf(IllegalStateException.class);
    }
}
