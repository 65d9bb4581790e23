package org.careline.contact;

import org.careline.model.PhoneCandidate;
import org.careline.model.PhoneMarkers;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the one number a WhatsApp message can go to from a patient's telecom entries.
 *
 * <p>Order of preference within a list: the first entry marked as mobile by the feed, then the first number
 * libphonenumber types as MOBILE or FIXED_LINE_OR_MOBILE (e.g. all of NANP). A number libphonenumber
 * types as a landline is never returned, whatever its marker says, because WhatsApp cannot reach it.
 * The fallback list (HL7 PID-14, business phone) is only looked at when the primary list has no usable number.
 */
public final class MobileNumberPicker {

    // A feed's mobile marker is trusted for these types only: not landlines, pagers or service numbers.
    private static final Set<PhoneNumberType> MARKED_OK = Set.of(PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER,
            PhoneNumberType.UNKNOWN);

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String defaultRegion;
    /** Which codes mark a mobile, a number never to message, an e-mail entry: mappings/pieces.yaml's phones. */
    private final PhoneMarkers markers;

    /**
     * With the markers the shipped pieces.yaml lists.
     *
     * @param defaultRegion ISO 3166 alpha-2 region for numbers written without a country code, e.g. "US", "GB"
     */
    public MobileNumberPicker(String defaultRegion) {
        this(defaultRegion, PhoneMarkers.DEFAULTS);
    }

    /**
     * @param defaultRegion ISO 3166 alpha-2 region for numbers written without a country code, e.g. "US", "GB"
     * @param markers       the codes that mark a mobile, a fax or pager, an e-mail entry
     */
    public MobileNumberPicker(String defaultRegion, PhoneMarkers markers) {
        this.markers = java.util.Objects.requireNonNull(markers, "markers");
        String region = defaultRegion == null ? "" : defaultRegion.trim().toUpperCase(Locale.ROOT);
        if (!phones.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("Unsupported phone region: " + defaultRegion);
        }
        this.defaultRegion = region;
    }

    /**
     * @param primary  the patient's own numbers (PID-13), in feed order; may be null
     * @param fallback business numbers (PID-14), used only when {@code primary} has no usable number; may be null
     * @return the chosen number in E.164 form, or empty when no entry can take a WhatsApp message
     */
    public Optional<String> pick(List<PhoneCandidate> primary, List<PhoneCandidate> fallback) {
        return pick(java.util.Arrays.asList(primary, fallback));
    }

    /**
     * @param lists telecom lists in order of preference (e.g. PID-13, PID-14); a later list is looked at only when
     *              every earlier one has no usable number. Lists may be null
     * @return the chosen number in E.164 form, or empty when no entry can take a WhatsApp message
     */
    public Optional<String> pick(List<List<PhoneCandidate>> lists) {
        for (List<PhoneCandidate> list : lists) {
            List<Parsed> usable = usable(list);
            if (!usable.isEmpty()) {
                return best(usable).map(p -> phones.format(p.number, PhoneNumberFormat.E164));
            }
        }
        return Optional.empty();
    }

    private Optional<Parsed> best(List<Parsed> entries) {
        for (Parsed p : entries) {
            if (p.markedMobile && MARKED_OK.contains(p.type)) {
                return Optional.of(p);
            }
        }
        // NANP and some other plans cannot tell mobiles from landlines, so "could be either" counts as mobile.
        for (Parsed p : entries) {
            if (p.type == PhoneNumberType.MOBILE || p.type == PhoneNumberType.FIXED_LINE_OR_MOBILE) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Valid numbers from the list, in order, without e-mail entries and entries marked fax/pager/TDD. */
    private List<Parsed> usable(List<PhoneCandidate> candidates) {
        List<Parsed> out = new ArrayList<>();
        if (candidates == null) {
            return out;
        }
        for (PhoneCandidate c : candidates) {
            if (c == null || isEmail(c) || hasMarker(c, markers.neverMessage())) {
                continue;
            }
            String raw = dialString(c);
            if (raw == null) {
                continue;
            }
            PhoneNumber number;
            try {
                number = phones.parse(raw, defaultRegion);
            } catch (NumberParseException e) {
                continue;
            }
            if (phones.isValidNumber(number)) {
                out.add(new Parsed(number, phones.getNumberType(number), hasMarker(c, markers.mobile())));
            }
        }
        return out;
    }

    private boolean isEmail(PhoneCandidate c) {
        if (c.equipmentType() != null
                && markers.emailEquipment().contains(c.equipmentType().trim().toUpperCase(Locale.ROOT))) {
            return true;
        }
        if (c.useCode() != null && markers.emailUses().contains(c.useCode().trim().toUpperCase(Locale.ROOT))) {
            return true;
        }
        if (c.number() != null && c.number().contains("@")) {
            return true;
        }
        return !isBlank(c.email()) && dialString(c) == null;
    }

    private static String dialString(PhoneCandidate c) {
        if (!isBlank(c.number())) {
            String n = c.number().trim();
            // "00" is the IDD in most of the world but not in e.g. NANP (011), so libphonenumber would read
            // "0034..." as a national number there; feeds mean the international form.
            return n.startsWith("00") ? "+" + n.substring(2) : n;
        }
        if (isBlank(c.localNumber())) {
            return null;
        }
        String national = (isBlank(c.areaCode()) ? "" : c.areaCode().trim()) + c.localNumber().trim();
        if (isBlank(c.countryCode())) {
            return national;
        }
        // XTN-5 arrives as "44", "+44" or "0044"; keep only the digits.
        String cc = c.countryCode().replaceAll("\\D", "").replaceFirst("^0+", "");
        return cc.isEmpty() ? national : "+" + cc + " " + national;
    }

    /** True when the use code or equipment type carries one of the markers as a word, e.g. "Mobile Phone". */
    private static boolean hasMarker(PhoneCandidate c, Set<String> markers) {
        return containsMarker(c.useCode(), markers) || containsMarker(c.equipmentType(), markers);
    }

    private static boolean containsMarker(String field, Set<String> markers) {
        if (isBlank(field)) {
            return false;
        }
        for (String token : field.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+")) {
            if (markers.contains(token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private record Parsed(PhoneNumber number, PhoneNumberType type, boolean markedMobile) {
    }
}
