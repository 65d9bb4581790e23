package org.careline.ingest.hl7.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;

import java.net.Socket;
import java.util.Arrays;

/**
 * An MLLP endpoint whose server consumer gives each connection a {@link PipelinedFrameBuffer}, and answers frames
 * too short to hold an MSH (see {@link #atLeastFourBytes}).
 */
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

            @Override
            public void processMessage(byte[] hl7MessageBytes, TcpSocketConsumerRunnable consumerRunnable) {
                super.processMessage(atLeastFourBytes(hl7MessageBytes), consumerRunnable);
            }
        };
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * camel-mllp 4.17 reads MSH-1 at byte 3 of every frame whose ACK the route set, so a frame of fewer than 4 bytes
     * (empty, a lone CR) throws there after the route answered it, and the connection is reset without its ACK. No
     * such frame can hold an MSH, and the receiver trims whitespace, so padding it with spaces changes nothing the
     * route decides (AR, no MSH) and the AR goes out.
     */
    static byte[] atLeastFourBytes(byte[] frame) {
        if (frame != null && frame.length >= 4) {
            return frame;
        }
        byte[] padded = frame == null ? new byte[4] : Arrays.copyOf(frame, 4);
        Arrays.fill(padded, frame == null ? 0 : frame.length, 4, (byte) ' ');
        return padded;
    }
}
