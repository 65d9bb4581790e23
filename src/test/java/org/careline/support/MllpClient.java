package org.careline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A plain MLLP client on a real socket: frames messages, waits for each ACK, can pipeline. */
public final class MllpClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MllpClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over a socket the test opened itself (TLS, a chosen local address). */
    public MllpClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends one message (segments joined by CR) and returns its ACK with segments joined by CR. */
    public String send(String message) throws IOException {
        return send(message.getBytes(StandardCharsets.UTF_8));
    }

    public String send(byte[] message) throws IOException {
        out.write(frame(message));
        out.flush();
        return readAck();
    }

    /**
     * Writes {@code raw} as it is (no MLLP framing: bytes a broken sender puts between frames), then {@code message}
     * as a frame, and returns the ACK that follows.
     */
    public String sendAfter(byte[] raw, byte[] message) throws IOException {
        out.write(raw);
        out.flush();
        return send(message);
    }

    /** Sends all messages in one TCP write, then reads one ACK per message, in order. */
    public List<String> pipeline(List<String> messages) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String m : messages) {
            all.write(frame(m.getBytes(StandardCharsets.UTF_8)));
        }
        out.write(all.toByteArray());
        out.flush();
        List<String> acks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            acks.add(readAck());
        }
        return acks;
    }

    private static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = 0x0b;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = 0x1c;
        framed[framed.length - 1] = 0x0d;
        return framed;
    }

    private String readAck() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        boolean started = false;
        while ((b = in.read()) != -1) {
            if (!started) {
                started = b == 0x0b;
                continue;
            }
            if (b == 0x1c) {
                in.read(); // trailing CR
                return buf.toString(Charset.forName("ISO-8859-1"));
            }
            buf.write(b);
        }
        throw new IOException("connection closed before an ACK arrived");
    }

    public boolean isOpen() {
        return !socket.isClosed() && socket.isConnected();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The value of field {@code n} of the first segment named {@code segment}, or null. */
    public static String field(String message, String segment, int n) {
        for (String seg : message.split("\r")) {
            if (seg.startsWith(segment + "|")) {
                String[] f = seg.split("\\|", -1);
                int i = segment.equals("MSH") ? n - 1 : n;
                return i < f.length ? f[i] : null;
            }
        }
        return null;
    }
}
