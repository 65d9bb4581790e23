package org.careline.model;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The codes in a telecom entry's use code (XTN-2) and equipment type (XTN-3) that say what kind of number it is, as
 * mappings/pieces.yaml's phones piece lists them. FHIR ContactPoints are read through the same codes (fhir.yaml's
 * telecom turns system and use into them), so one list decides for both feeds. Kept upper case: feeds differ in
 * case, the comparison does not.
 *
 * @param mobile         a word of XTN-2 or XTN-3 that marks a mobile ("Mobile Phone" carries MOBILE)
 * @param neverMessage   a word of XTN-2 or XTN-3 that marks a fax, pager or text telephone: never messaged
 * @param emailUses      an XTN-2 that, as a whole, marks an e-mail entry
 * @param emailEquipment an XTN-3 that, as a whole, marks an e-mail entry
 */
public record PhoneMarkers(Set<String> mobile, Set<String> neverMessage, Set<String> emailUses,
                           Set<String> emailEquipment) {

    /**
     * What the shipped pieces.yaml says, for a phones piece written before these lists were (and for callers that
     * pick without a mapping). Equipment type CP is standard HL7; MOBILE, MOB, CELL ... are what real feeds put in
     * XTN-2/XTN-3 instead; FX, BP, TDD are HL7 equipment types and BPN the beeper use code.
     */
    public static final PhoneMarkers DEFAULTS = new PhoneMarkers(
            Set.of("CP", "MOBILE", "MOB", "CELL", "CELLULAR", "CELLPHONE"),
            Set.of("FX", "FAX", "BP", "BPN", "PAGER", "TDD", "TTY"),
            Set.of("NET"),
            Set.of("INTERNET", "X.400"));

    public PhoneMarkers {
        mobile = upper(mobile);
        neverMessage = upper(neverMessage);
        emailUses = upper(emailUses);
        emailEquipment = upper(emailEquipment);
    }

    private static Set<String> upper(Collection<String> codes) {
        return codes.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
