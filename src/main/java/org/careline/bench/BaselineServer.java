package org.careline.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The benchmark's baseline: the least a Camel HL7 listener does — camel-mllp consumer → HAPI parse → AA built by
 * HAPI — with no persistence and nothing else. Run in its own JVM:
 * {@code java -Xmx256m -cp target/careline.jar org.careline.bench.BaselineServer PORT}.
 */
public final class BaselineServer {

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        HapiContext context = new DefaultHapiContext();
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setAllowUnknownVersions(true);
        PipeParser parser = context.getPipeParser();
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
}
