/**
 * A workaround for CAMEL-24668: camel-mllp up to 4.17 reads every byte the socket has, hands the first MLLP frame to
 * the route and throws the rest away, so a sender that pipelines (several frames in one TCP write) silently loses
 * messages, and the lost content is written to the log. The fix shipped only in Camel patch releases newer than
 * the versions this project can resolve. These classes keep the trailing frames for the next round instead; they
 * are registered as the "mllp" component, so routes keep their plain {@code mllp:} URIs. Delete this package when
 * Camel is upgraded to a release with the fix (the pipelining test in Hl7ListenerTest keeps guard). The same
 * consumer pads frames shorter than 4 bytes, which camel-mllp 4.17 fails to answer (the empty-frame test keeps guard).
 * It also guards the listener, which camel-mllp cannot by its options alone ({@link
 * org.careline.ingest.hl7.mllp.MllpEdge}: a source allowlist, the first-frame timeout, TLS; docs/security-network.md):
 * when the pipelining workaround goes, these stay (on a plain subclass of camel-mllp's consumer).
 */
package org.careline.ingest.hl7.mllp;
