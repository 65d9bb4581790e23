package org.careline.config;

import java.time.ZoneId;
import java.util.List;

/**
 * How a value of one HL7 v2 type is read wherever a source names it with {@code as} (pieces.yaml's datatypes):
 * either a composite rendered from some of its components, or a date and time.
 *
 * @param components for a composite (XCN, XPN, PL ...): groups of component numbers; the components of a group
 *                   are joined with a space, the groups with ", " (PL [[1, 2], [4]]: "point of care room, facility")
 * @param zone       for a time (DTM, TS): "site" (a value without an offset is read in the site's zone) or an IANA
 *                   zone id that such values are always read in
 * @param precision  for a time: the least a value must give to count, one of {@link #PRECISIONS}
 */
public record Hl7Datatype(List<List<Integer>> components, String zone, String precision) {

    /** DTM's parts in order: a value giving only a year has precision "year", one to the minute "minute". */
    public static final List<String> PRECISIONS = List.of("year", "month", "day", "hour", "minute", "second");
    public static final String SITE_ZONE = "site";

    public boolean isTime() {
        return components == null;
    }

    /** The zone a value without an offset is read in. */
    public ZoneId zone(ZoneId siteZone) {
        return zone == null || SITE_ZONE.equals(zone) ? siteZone : ZoneId.of(zone);
    }

    /** How many of DTM's parts (year, month, day ...) a value must give. */
    public int minimumParts() {
        return precision == null ? 1 : PRECISIONS.indexOf(precision) + 1;
    }
}
