package org.careline.config;

import java.nio.file.Path;

/**
 * Where TLS is on and the PEM files it uses (CARELINE_TLS_CERT, _KEY, _CLIENT_CA). Only paths: the files are read
 * and checked once, at start, into memory.
 *
 * @param clientCa set: listeners ask every client for a certificate this CA signed (mutual TLS)
 */
public record TlsSettings(Path cert, Path key, Path clientCa, boolean mllp, boolean http, boolean schedulingMllp) {

    /** Whether any listener or the write-back link needs the files read. */
    public boolean anyOn() {
        return mllp || http || schedulingMllp;
    }

    public boolean mutual() {
        return clientCa != null;
    }
}
