package org.careline.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a person signed in to the console may do. staff work patients' messages; analysts fix the feeds (inbound
 * messages, dead letters, alerts) and never see message bodies; auditors read the audit trail; admins do all of it
 * and manage users and tokens. portal is not a person: a results portal's API token, which may only report that a
 * patient opened a notice's link (and nothing else, not even read its own session). staff_user.roles keeps the
 * lower-case names, comma-separated.
 */
public enum Role {
    ADMIN, STAFF, ANALYST, AUDITOR, PORTAL;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a stored or typed name stands for; null for anything else. */
    public static Role fromName(String name) {
        for (Role r : values()) {
            if (r.dbValue().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return r;
            }
        }
        return null;
    }

    /** "staff,admin" → {STAFF, ADMIN}; unknown names are left out. */
    public static Set<Role> parseList(String stored) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (stored != null) {
            for (String part : stored.split(",")) {
                Role r = fromName(part);
                if (r != null) {
                    roles.add(r);
                }
            }
        }
        return roles;
    }
}
