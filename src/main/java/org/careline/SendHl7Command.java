package org.careline;

import org.careline.config.SettingValues;
import org.careline.config.SettingsCatalog;
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
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code java -jar target/careline.jar send-hl7 FILE [HOST[:PORT]]}: sends one HL7 v2 message file over MLLP and
 * prints the ACK, so an analyst can try a feed sample without an interface engine. LF or CRLF line ends in the
 * file are sent as HL7's CR. Every way it can fail (no such file, a bad port, no engine listening, no ACK) is one
 * line and exit code 2: an analyst trying a sample needs to know what to fix, not where in the JDK it broke.
 */
@Command(name = "send-hl7", description = "Send one HL7 v2 message file over MLLP to a running engine and print the "
        + "ACK.",
        footer = "%nThe port is PORT when given, else CARELINE_MLLP_PORT (the engine's own setting, so the same "
                + "environment finds it), else " + SendHl7Command.DEFAULT_PORT + ". Example: java -jar "
                + "target/careline.jar send-hl7 samples/siu-s12.hl7 localhost:2575")
final class SendHl7Command implements Callable<Integer> {

    static final int DEFAULT_PORT = 2575;
    private static final int ACK_WAIT_MS = 30_000;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "FILE",
            description = "The message file; LF or CRLF line ends are sent as HL7's CR.")
    private Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "HOST[:PORT]",
            description = "Where the engine listens (default localhost:$CARELINE_MLLP_PORT, or localhost:"
                    + DEFAULT_PORT + " when that is unset).")
    private String target = "localhost";

    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;

    SendHl7Command(Map<String, String> env) {
        this.env = env;
    }

    /** Where to send: an address, or why the arguments name none. */
    sealed interface Destination permits Address, NoAddress {
    }

    record Address(String host, int port) implements Destination {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    record NoAddress(String problem) implements Destination {
    }

    /**
     * The address of {@code target} (HOST or HOST:PORT); without a port, CARELINE_MLLP_PORT read and checked as
     * the engine reads it (so a wrong value is reported in the engine's words), else the default.
     */
    static Destination destination(String target, Map<String, String> env) {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? target : target.substring(0, colon);
        if (host.isBlank()) {
            return new NoAddress("HOST[:PORT] needs a host, got '" + target + "'");
        }
        if (colon >= 0) {
            String port = target.substring(colon + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return new NoAddress("the port in '" + target + "' must be a number from 1 to 65535");
            }
            return new Address(host, Integer.parseInt(port));
        }
        SettingValues settings = SettingValues.read(Map.of(SettingsCatalog.MLLP_PORT.name(),
                env.getOrDefault(SettingsCatalog.MLLP_PORT.name(), "")));
        String problem = settings.problem(SettingsCatalog.MLLP_PORT);
        if (problem != null) {
            return new NoAddress(problem);
        }
        return new Address(host, settings.get(SettingsCatalog.MLLP_PORT));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Destination destination = destination(target, env);
        if (destination instanceof NoAddress no) {
            return fail(err, no.problem());
        }
        Address address = (Address) destination;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8)
                    .replace("\r\n", "\r").replace('\n', '\r').strip();
        } catch (NoSuchFileException e) {
            return fail(err, "no such file: " + file);
        } catch (AccessDeniedException e) {
            return fail(err, "not allowed to read " + file);
        } catch (IOException e) {
            return fail(err, Files.isDirectory(file) ? file + " is a directory, not a message file"
                    : "cannot read " + file + " (" + CommandErrors.oneLine(e) + ")");
        }
        if (text.isEmpty()) {
            return fail(err, file + " is empty");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), ACK_WAIT_MS);
            socket.setSoTimeout(ACK_WAIT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(0x0b);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write(new byte[]{0x1c, 0x0d});
            out.flush();
            String ack = readFrame(socket.getInputStream());
            if (ack.isEmpty()) {
                return fail(err, address + " closed the connection without an ACK");
            }
            PrintWriter console = spec.commandLine().getOut();
            console.println(ack);
            console.flush();
            return 0;
        } catch (UnknownHostException e) {
            return fail(err, "unknown host '" + address.host() + "'");
        } catch (ConnectException e) {
            return fail(err, "nothing listens at " + address + " (connection refused): is the engine running? Start "
                    + "it with java -jar target/careline.jar, or give HOST:PORT (default port: CARELINE_MLLP_PORT, "
                    + "else " + DEFAULT_PORT + ")");
        } catch (SocketTimeoutException e) {
            return fail(err, "no answer from " + address + " within " + ACK_WAIT_MS / 1000 + " s");
        } catch (IOException e) {
            return fail(err, "sending to " + address + " failed: " + CommandErrors.oneLine(e));
        }
    }

    /** The ACK's text, its CRs as line ends; empty when the connection closed before one. */
    private static String readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != 0x1c) {
            if (b != 0x0b) {
                ack.write(b);
            }
        }
        return ack.toString(StandardCharsets.UTF_8).replace('\r', '\n').strip();
    }

    private static int fail(PrintWriter err, String problem) {
        err.println("careline send-hl7: " + problem);
        err.flush();
        return CommandErrors.MISTAKE;
    }
}
