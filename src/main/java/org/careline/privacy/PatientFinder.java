package org.careline.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.careline.store.Database;
import org.careline.store.PatientRecords;
import org.careline.store.PatientSites;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds patients by MRN or by phone number (normalised to E.164 with libphonenumber, the engine's region for numbers
 * written without a country code), showing a clerk enough to pick the right one: the number masked. Staff limited to
 * sites see only patients known at one of them.
 */
public final class PatientFinder {

    static final int LIMIT = 50;

    /** What a search can end in. */
    public sealed interface FindOutcome permits Found, Refused {
    }

    /** The matches (possibly none); JSON {"patients":[...]}. */
    public record Found(List<PatientMatch> patients) implements FindOutcome {
    }

    /** The query itself is wrong (neither or both keys, a number that is not one). */
    public record Refused(String reason) implements FindOutcome {
    }

    /**
     * One patient as a clerk sees them in a search.
     *
     * @param site              the site of their latest appointment, or null
     * @param lastAppointmentAt the start of their latest appointment, or null
     * @param erased            an erasure has run: nothing is left to show but the id
     */
    public record PatientMatch(long id, String mrn, String authority, String site, String name, String phoneMasked,
                               Instant lastAppointmentAt, boolean onHold, boolean erased) {
    }

    /** Which key a search used: what the audit trail records (never the key's value). */
    public enum KeyKind { MRN, PHONE }

    private final Database db;
    private final PatientRecords records;
    private final PatientSites sites;
    private final String region;

    public PatientFinder(Database db, PatientRecords records, PatientSites sites, String region) {
        this.db = db;
        this.records = records;
        this.sites = sites;
        this.region = region;
    }

    /** The key a query names: exactly one of mrn and phone must be given. */
    public static KeyKind kind(String mrn, String phone) {
        if ((mrn == null) == (phone == null)) {
            return null;
        }
        return mrn != null ? KeyKind.MRN : KeyKind.PHONE;
    }

    /** @param callerSites the sites the caller may see, null for every site */
    public FindOutcome find(String mrn, String phone, Set<String> callerSites) {
        KeyKind kind = kind(mrn, phone);
        if (kind == null) {
            return new Refused("give exactly one of ?mrn= and ?phone=");
        }
        String e164 = null;
        if (kind == KeyKind.PHONE) {
            e164 = normalise(phone);
            if (e164 == null) {
                return new Refused("not a phone number");
            }
        }
        String key = kind == KeyKind.MRN ? mrn.trim() : e164;
        return db.inTransaction(c -> {
            List<PatientRecords.PatientRow> rows = kind == KeyKind.MRN ? records.byMrn(c, key, LIMIT)
                    : records.byPhone(c, key, LIMIT);
            List<PatientMatch> out = new ArrayList<>();
            for (PatientRecords.PatientRow p : rows) {
                if (callerSites != null && sites.of(c, p.id()).stream().noneMatch(callerSites::contains)) {
                    continue;
                }
                PatientRecords.LastVisit last = records.lastVisit(c, p.id()).orElse(null);
                out.add(new PatientMatch(p.id(), p.mrn(), p.authority(), last == null ? null : last.site(),
                        name(p.givenName(), p.familyName()), PhoneMask.mask(p.phone()),
                        last == null ? null : last.startAt(), records.onHold(c, p.id()), p.erased()));
            }
            return new Found(out);
        });
    }

    /** E.164 of what was typed, or null when it is not a possible number. */
    String normalise(String typed) {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            var number = util.parse(typed.trim(), region);
            if (!util.isPossibleNumber(number)) {
                return null;
            }
            return util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
        }
    }

    static String name(String given, String family) {
        String n = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
        return n.isEmpty() ? null : n;
    }
}
