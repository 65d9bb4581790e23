package org.careline.ingest.hl7.mllp;

import java.net.InetAddress;
import java.net.Socket;

/** A connection's source address as logged: the IP alone (no port, no reverse DNS lookup). */
final class SourceAddress {

    private SourceAddress() {
    }

    static String of(Socket socket) {
        InetAddress address = socket.getInetAddress();
        return address == null ? "(unknown)" : address.getHostAddress();
    }
}
