package org.careline.model;

/**
 * One line of the audit trail: who did what, to or about which patient, and how it ended. detail holds ids and
 * outcomes only, never message bodies; the trail is for auditors, who must not read what patients wrote.
 *
 * @param outcome ok, denied (signed in without the role, or outside their sites), refused (e.g. a claim lost), failed
 */
public record AuditEntry(String actor, String action, Long patientId, String subject, String siteCode, String outcome,
                         String detail, String remoteAddress) {
}
