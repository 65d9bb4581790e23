package org.careline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code java -jar target/careline.jar send-hl7 FILE [HOST[:PORT]]}: sends one HL7 v2 message file over MLLP and
 * prints the ACK, so an analyst can try a feed sample without an interface engine. LF or CRLF line ends in the
 * file are sent as HL7's CR.
 */
@Command(name = "send-hl7", description = "Send one HL7 v2 message file over MLLP to a running engine and print the "
        + "ACK.")
final class SendHl7Command implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "FILE",
            description = "The message file; LF or CRLF line ends are sent as HL7's CR.")
    private Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "HOST[:PORT]",
            description = "Where the engine listens (default localhost:$CARELINE_MLLP_PORT or 2575).")
    private String target = "localhost";

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    SendHl7Command(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8)
                .replace("\r\n", "\r").replace('\n', '\r').strip();
        String host = target.contains(":") ? target.substring(0, target.indexOf(':')) : target;
        String envPort = env.get("CARELINE_MLLP_PORT");
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
            PrintWriter console = spec.commandLine().getOut();
            console.println(ack.toString(StandardCharsets.UTF_8).replace('\r', '\n').strip());
            console.flush();
        }
        return 0;
    }
}
