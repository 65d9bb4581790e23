package org.careline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar target/careline.jar send-hl7 FILE [HOST[:PORT]]}: sends one HL7 v2 message file over MLLP and
 * prints the ACK, so an analyst can try a feed sample without an interface engine. LF or CRLF line ends in the
 * file are sent as HL7's CR.
 */
final class SendHl7Command {

    private SendHl7Command() {
    }

    static int run(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: careline send-hl7 FILE [HOST[:PORT]]   (default localhost:$CARELINE_MLLP_PORT or 2575)");
            return 2;
        }
        String text = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8)
                .replace("\r\n", "\r").replace('\n', '\r').strip();
        String target = args.length > 2 ? args[2] : "localhost";
        String host = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        String envPort = System.getenv("CARELINE_MLLP_PORT");
        int port = target.contains(":") ? Integer.parseInt(target.substring(target.indexOf(':') + 1))
                : envPort == null || envPort.isBlank() ? 2575 : Integer.parseInt(envPort.trim());
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(0x0b);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write(new byte[]{0x1c, 0x0d});
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != 0x1c) {
                if (b != 0x0b) {
                    ack.write(b);
                }
            }
            System.out.println(ack.toString(StandardCharsets.UTF_8).replace('\r', '\n').strip());
        }
        return 0;
    }
}
