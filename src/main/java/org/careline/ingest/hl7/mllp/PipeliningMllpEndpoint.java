package org.careline.ingest.hl7.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;

/**
 * An MLLP endpoint whose server consumer gives each connection a {@link PipelinedFrameBuffer}, answers frames
 * too short to hold an MSH (see {@link #atLeastFourBytes}), and applies the {@link MllpEdge}: source allowlist,
 * first-frame timeout and TLS.
 */
public class PipeliningMllpEndpoint extends MllpEndpoint {

    private final MllpEdge edge;

    public PipeliningMllpEndpoint(String uri, MllpComponent component, MllpConfiguration configuration, MllpEdge edge) {
        super(uri, component, configuration);
        this.edge = edge;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (edge.listenerTls() != null) {
            setSslContextParameters(edge.listenerTls());
        }
        Consumer consumer = new GuardedConsumer(this, processor, edge);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() throws Exception {
        if (edge.clientTls() != null) {
            setSslContextParameters(edge.clientTls());
        }
        return super.createProducer();
    }

    /**
     * camel-mllp's server consumer with the pipelining buffer, the short-frame padding, the source allowlist (checked
     * before any byte is read) and the first-frame timeout.
     */
    private static final class GuardedConsumer extends MllpTcpServerConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(GuardedConsumer.class);

        private final PipeliningMllpEndpoint endpoint;
        private final MllpEdge edge;
        private volatile FirstFrameWatch watch;

        GuardedConsumer(PipeliningMllpEndpoint endpoint, Processor processor, MllpEdge edge) {
            super(endpoint, processor);
            this.endpoint = endpoint;
            this.edge = edge;
        }

        @Override
        protected void doStart() throws Exception {
            watch = new FirstFrameWatch(edge.firstFrameTimeoutMillis());
            super.doStart();
        }

        @Override
        protected void doStop() throws Exception {
            try {
                super.doStop();
            } finally {
                watch.stop();
            }
        }

        /** Called by the accept thread for every new connection, before camel-mllp reads from it. */
        @Override
        public void validateConsumer(Socket clientSocket) {
            if (!edge.allow().allows(clientSocket.getInetAddress())) {
                // The address only; nothing has been read.
                LOG.warn("MLLP connection from {} refused: not in CARELINE_MLLP_ALLOW", SourceAddress.of(clientSocket));
                try {
                    clientSocket.setSoLinger(true, 0);
                    clientSocket.close();
                } catch (IOException e) {
                    LOG.debug("closing a refused connection failed", e);
                }
                return;
            }
            watch.accepted(clientSocket);
            super.validateConsumer(clientSocket);
        }

        @Override
        public void startConsumer(Socket clientSocket, MllpSocketBuffer mllpBuffer) {
            super.startConsumer(clientSocket, PipelinedFrameBuffer.takeOver(mllpBuffer, endpoint));
        }

        @Override
        public void processMessage(byte[] hl7MessageBytes, TcpSocketConsumerRunnable consumerRunnable) {
            watch.framed(consumerRunnable.getSocket());
            super.processMessage(atLeastFourBytes(hl7MessageBytes), consumerRunnable);
        }
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
