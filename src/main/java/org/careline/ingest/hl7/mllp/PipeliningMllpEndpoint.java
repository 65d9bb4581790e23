package org.careline.ingest.hl7.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;

import java.net.Socket;

/** An MLLP endpoint whose server consumer gives each connection a {@link PipelinedFrameBuffer}. */
public class PipeliningMllpEndpoint extends MllpEndpoint {

    public PipeliningMllpEndpoint(String uri, MllpComponent component, MllpConfiguration configuration) {
        super(uri, component, configuration);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new MllpTcpServerConsumer(this, processor) {
            @Override
            public void startConsumer(Socket clientSocket, MllpSocketBuffer mllpBuffer) {
                super.startConsumer(clientSocket, PipelinedFrameBuffer.takeOver(mllpBuffer, PipeliningMllpEndpoint.this));
            }
        };
        configureConsumer(consumer);
        return consumer;
    }
}
