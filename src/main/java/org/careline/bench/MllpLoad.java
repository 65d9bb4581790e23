package org.careline.bench;

import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * HL7 senders as an interface engine runs them: {@code connections} MLLP connections (HAPI's MinLLPWriter /
 * MinLLPReader over a plain socket), each sending its next message only once the ACK of the previous one is in.
 * Messages are taken in index order from a shared counter; optionally paced so message k is not sent before
 * {@code start + k * intervalNanos} (a steady arrival rate).
 */
public final class MllpLoad {

    /** The outcome of one run: per message the ACK latency and when the ACK arrived (System.nanoTime). */
    public record Result(int sent, int accepted, int otherAcks, long startNanos, long endNanos, long[] ackLatencyNanos,
                         long[] ackArrivedNanos, List<String> firstErrors) {
        public double throughputPerSecond() {
            return sent * 1e9 / Math.max(1, endNanos - startNanos);
        }
    }

    private MllpLoad() {
    }

    public static Result run(String host, int port, int connections, int count, IntFunction<String> message,
                             long intervalNanos) throws Exception {
        long[] latency = new long[count];
        long[] ackAt = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(60_000);
                    MinLLPWriter writer = new MinLLPWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                    MinLLPReader reader = new MinLLPReader(socket.getInputStream(), StandardCharsets.UTF_8);
                    for (int k = next.getAndIncrement(); k < count; k = next.getAndIncrement()) {
                        String text = message.apply(k);
                        if (intervalNanos > 0) {
                            long due = start + k * intervalNanos;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        long sent = System.nanoTime();
                        writer.writeMessage(text);
                        String ack = reader.getMessage();
                        long now = System.nanoTime();
                        latency[k] = now - sent;
                        ackAt[k] = now;
                        if (ack != null && ack.contains("MSA|AA|")) {
                            accepted.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                            if (errors.size() < 5) {
                                errors.add(ack == null ? "connection closed" : ack.replace('\r', '\n'));
                            }
                        }
                    }
                } catch (IOException | LLPException e) {
                    errors.add(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "mllp-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        int sent = Math.min(next.get(), count);
        return new Result(sent, accepted.get(), other.get(), start, end, latency, ackAt, List.copyOf(errors));
    }
}
