package org.careline.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.DelegatingHiLoGenerator;
import ca.uhn.hl7v2.util.idgenerator.FileBasedGenerator;
import ca.uhn.hl7v2.util.idgenerator.FileBasedHiLoGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's baseline: the least a Camel HL7 listener does — camel-mllp consumer → HAPI parse → AA built by
 * HAPI — with no persistence and nothing else. Run in its own JVM:
 * {@code java -Xmx256m -cp target/careline.jar org.careline.bench.BaselineServer PORT [STATE_DIR]}, STATE_DIR
 * (default target/bench) being where HAPI keeps its ACK control-id counter.
 */
public final class BaselineServer {

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        PipeParser parser = hapi(Path.of(args.length > 1 ? args[1] : "target/bench")).getPipeParser();
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("mllp:0.0.0.0:" + port + "?autoAck=false&stringPayload=false&validatePayload=false"
                        + "&maxConcurrentConsumers=64")
                        .routeId("baseline-mllp")
                        .process(exchange -> {
                            String text = new String(exchange.getMessage().getBody(byte[].class),
                                    java.nio.charset.StandardCharsets.UTF_8);
                            Message in = parser.parse(text);
                            exchange.setProperty("CamelMllpAcknowledgementString", parser.encode(in.generateACK()));
                        });
            }
        });
        main.run();
    }

    /**
     * HAPI as the baseline uses it. generateACK() takes MSH-10 from HAPI's id generator, by default a hi/lo
     * counter kept in {@code ./id_file}: the checkout the bench runs from. This is the same generator (same
     * counter, unique across restarts) with its file in {@code stateDir} instead.
     */
    static HapiContext hapi(Path stateDir) throws IOException {
        HapiContext context = new DefaultHapiContext();
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setAllowUnknownVersions(true);
        Files.createDirectories(stateDir);
        FileBasedGenerator counter = new FileBasedGenerator(FileBasedHiLoGenerator.DEFAULT_MAXLO);
        counter.setDirectory(stateDir.toAbsolutePath().toString());
        context.getParserConfiguration().setIdGenerator(new DelegatingHiLoGenerator(counter));
        return context;
    }
}
