package org.careline.names;

/**
 * One place a feed may give a provider's name, as read: a person-name field split into its parts (HL7 XCN: AIP-3,
 * PV1-7), or a free text (AIG-3's text component). Which of them is a real person's name is decided by
 * {@link ProviderNames}, not by where it came from.
 */
public sealed interface NameSource permits NameSource.Parts, NameSource.Text {

    /**
     * A person-name field's parts, each null when empty.
     *
     * @param id     the person's id in the sending system (XCN-1), never shown
     * @param family the family name with its own prefix ("van der Berg"; XCN-2.2 and XCN-2.1)
     * @param given  the given name (XCN-3)
     * @param prefix a title such as Dr (XCN-6)
     */
    record Parts(String id, String family, String given, String prefix) implements NameSource {
    }

    /** A name written as one text: "SMITH, ANNA", "Dr Anna Smith" — or a login id such as "kmurphy2". */
    record Text(String text) implements NameSource {
    }
}
