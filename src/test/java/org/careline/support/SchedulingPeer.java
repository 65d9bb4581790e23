package org.careline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Stands in for the scheduling system: an MLLP listener on a real socket that records every message it receives
 * and answers each with an original-mode ACK whose MSA-1 a rule picks (AA, AE, AR, CA, CE, CR), or with nothing
 * at all when the rule says null. Built on a port but listening only once {@link #start()} is called, so a test
 * can have the engine find it down first (connection refused).
 */
public final class SchedulingPeer implements AutoCloseable {

    /** What the peer answers an AE/AR with, after MSA-3. */
    public static final String ERROR_TEXT = "Appointment is locked by another user";

    private final int port;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> rule = m -> "AA";
    private volatile ServerSocket server;

    public SchedulingPeer(int port) {
        this.port = port;
    }

    /** A peer on a free port, not yet listening. */
    public static SchedulingPeer onFreePort() throws IOException {
        return new SchedulingPeer(EngineFixture.freePort());
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The ACK code to answer each message with (by its text), or null to stay silent. */
    public void answer(Function<String, String> rule) {
        this.rule = rule;
    }

    /** Every message received so far, in order of arrival, segments separated by CR. */
    public List<String> received() {
        return List.copyOf(received);
    }

    public synchronized void start() throws IOException {
        listen(new ServerSocket());
    }

    /** Listens over TLS with {@code context}'s certificate, asking every client for a certificate it trusts. */
    public synchronized void startTls(javax.net.ssl.SSLContext context) throws IOException {
        javax.net.ssl.SSLServerSocket s = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket();
        s.setNeedClientAuth(true);
        listen(s);
    }

    private void listen(ServerSocket s) throws IOException {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        server = s;
        Thread accept = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket socket = s.accept();
                    connections.add(socket);
                    Thread t = new Thread(() -> serve(socket), "scheduling-peer-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "scheduling-peer-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String message = readFrame(in);
                if (message == null) {
                    return;
                }
                received.add(message);
                String code = rule.apply(message);
                if (code != null) {
                    out.write(frame(ack(message, code)));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // connection closed by the engine or by close()
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != 0x0b) {
            if (b == -1) {
                return null;
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while ((b = in.read()) != -1) {
            if (b == 0x1c) {
                in.read(); // CR after the end of block
                return buf.toString(StandardCharsets.UTF_8);
            }
            buf.write(b);
        }
        return null;
    }

    private static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[body.length + 3];
        framed[0] = 0x0b;
        System.arraycopy(body, 0, framed, 1, body.length);
        framed[framed.length - 2] = 0x1c;
        framed[framed.length - 1] = 0x0d;
        return framed;
    }

    /** An original-mode ACK as a scheduling system would send it; AE/AR/CE/CR carry MSA-3 and an ERR. */
    static String ack(String message, String code) {
        String controlId = MllpClient.field(message, "MSH", 10);
        String version = MllpClient.field(message, "MSH", 12);
        String trigger = MllpClient.field(message, "MSH", 9).split("\\^")[1];
        boolean negative = !code.endsWith("A");
        String ack = "MSH|^~\\&|EHR|HOSP|CARELINE|CL|20300305190000||ACK^" + trigger + "|ACK" + controlId + "|P|"
                + version + "\rMSA|" + code + "|" + controlId + (negative ? "|Request refused" : "");
        if (negative) {
            ack += "\rERR|||207^Application internal error^HL70357|E||||" + ERROR_TEXT;
        }
        return ack;
    }

    /** Stops listening and drops every open connection (the engine then sees the peer as down). */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket s : connections) {
            s.close();
        }
        connections.clear();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
