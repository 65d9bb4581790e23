package org.careline.ingest.hl7.mllp;

import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;

import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A socket buffer that, when the consumer is done with one frame and resets, sets aside whatever complete or
 * partial frames followed it, and serves them before reading the socket again. They are kept apart from the buffer
 * because the consumer reuses the buffer to write the ACK in between.
 */
final class PipelinedFrameBuffer extends MllpSocketBuffer {

    private static final byte START_OF_BLOCK = 0x0b;

    private byte[] pending;

    private PipelinedFrameBuffer(MllpEndpoint endpoint) {
        super(endpoint);
    }

    /** A new buffer holding whatever the accept thread had already read into {@code original}. */
    static PipelinedFrameBuffer takeOver(MllpSocketBuffer original, MllpEndpoint endpoint) {
        PipelinedFrameBuffer buffer = new PipelinedFrameBuffer(endpoint);
        if (original != null && !original.isEmpty()) {
            buffer.write(original.toByteArray());
        }
        return buffer;
    }

    @Override
    public synchronized void readFrom(Socket socket, int receiveTimeout, int readTimeout)
            throws org.apache.camel.component.mllp.MllpSocketException, SocketTimeoutException {
        if (pending != null && isEmpty()) {
            byte[] next = pending;
            pending = null;
            write(next);
            if (hasCompleteEnvelope()) {
                return; // a pipelined frame: process it before reading more
            }
        }
        super.readFrom(socket, receiveTimeout, readTimeout);
    }

    @Override
    public synchronized void reset() {
        byte[] next = pipelinedRemainder();
        super.reset();
        if (next != null) {
            pending = pending == null ? next : concat(pending, next);
        }
    }

    /** Trailing data that starts another frame is not out-of-band junk, so it is neither logged nor dropped. */
    @Override
    public synchronized boolean hasTrailingOutOfBandData() {
        return pipelinedRemainder() == null && super.hasTrailingOutOfBandData();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** The bytes after the current frame, from the next start-of-block on; null if there is no next frame. */
    private byte[] pipelinedRemainder() {
        if (!hasCompleteEnvelope()) {
            return null;
        }
        byte[] all = toByteArray();
        int from = getEndOfBlockIndex() + (hasEndOfData() ? 2 : 1);
        for (int i = from; i < all.length; i++) {
            if (all[i] == START_OF_BLOCK) {
                return Arrays.copyOfRange(all, i, all.length);
            }
        }
        return null;
    }
}
