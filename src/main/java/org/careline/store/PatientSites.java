package org.careline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sites a patient is known at: their appointments' and their messages' handoffs'. Staff limited to sites may see
 * a patient's timeline only when one of these is theirs.
 */
public final class PatientSites {

    public Set<String> of(Connection c, long patientId) throws SQLException {
        Set<String> sites = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT site_code FROM appointment WHERE patient_id = ? "
                + "AND site_code IS NOT NULL UNION SELECT h.site_code FROM staff_handoff h JOIN patient p "
                + "ON p.phone_e164 = h.phone_e164 WHERE p.id = ? AND h.site_code IS NOT NULL")) {
            ps.setLong(1, patientId);
            ps.setLong(2, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sites.add(rs.getString(1));
                }
            }
        }
        return sites;
    }
}
