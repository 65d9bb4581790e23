package org.careline.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mappings/results.yaml, checked: which effective result statuses lead to which notice, the folding window, how long
 * portal links stay valid, which document completion statuses are announced, and the sensitive categories.
 *
 * @param statuses        effective status (F, C, P, ...) → what it leads to; a status not listed leads to nothing
 * @param foldWindow      finals for the same patient within this long after an announcement are folded into it
 * @param linkValidity    how long a portal link verifies after the notice is released
 * @param documentNotify  MDM TXA-17 completion statuses that make a document available (e.g. AU, LA)
 * @param documentWithdraw MDM TXA-19 availability statuses that withdraw a pending document notice (e.g. CA)
 * @param documentAttachPdf MDM TXA-2 document types whose PDF may be sent as the template's document header
 *                         (documents with no clinical data, e.g. a receipt); empty: never (the default)
 */
public record ResultRules(Map<String, Notice> statuses, Duration foldWindow, Duration linkValidity,
                          Set<String> documentNotify, Set<String> documentWithdraw, List<Category> categories,
                          Set<String> documentAttachPdf) {

    /** Rules without any document type whose PDF is sent (the default). */
    public ResultRules(Map<String, Notice> statuses, Duration foldWindow, Duration linkValidity,
                       Set<String> documentNotify, Set<String> documentWithdraw, List<Category> categories) {
        this(statuses, foldWindow, linkValidity, documentNotify, documentWithdraw, categories, Set.of());
    }

    /** Whether a document of this TXA-2 type may have its PDF sent as the notice's document header. */
    public boolean attachesPdf(String documentType) {
        return documentType != null
                && documentAttachPdf.contains(documentType.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** What a status leads to. */
    public enum Notice { AVAILABLE, UPDATED, NONE }

    /**
     * A sensitive category: matched by order code (OBR-4.1), diagnostic service section (OBR-24), producer
     * (OBX-15.1) or document type (TXA-2); held back for good ({@code hold}) or released after {@code delay}.
     */
    public record Category(String name, Set<String> orderCodes, Set<String> sections, Set<String> producers,
                           Set<String> documentTypes, boolean hold, Duration delay) {
    }
}
