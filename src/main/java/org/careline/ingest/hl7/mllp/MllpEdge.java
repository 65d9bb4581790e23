package org.careline.ingest.hl7.mllp;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.careline.config.AddressAllowlist;

/**
 * What guards the MLLP listener beyond camel-mllp's own options (docs/security-network.md).
 *
 * @param allow                   sources that may connect; others are closed at once
 * @param firstFrameTimeoutMillis a connection without a complete frame this long after accept is closed (0: never)
 * @param listenerTls             TLS of the listener, or null for plain TCP
 * @param clientTls               TLS of connections Careline opens (write-back), or null for plain TCP
 */
public record MllpEdge(AddressAllowlist allow, int firstFrameTimeoutMillis, SSLContextParameters listenerTls,
                       SSLContextParameters clientTls) {

    /** camel-mllp as it is: everyone, no first-frame limit, plain TCP. */
    public static MllpEdge open() {
        return new MllpEdge(AddressAllowlist.everyone(), 0, null, null);
    }
}
