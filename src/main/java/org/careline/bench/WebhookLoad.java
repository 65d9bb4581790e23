package org.careline.bench;

import org.careline.ingest.whatsapp.WebhookSignature;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meta's side of status webhooks: statuses (sent, delivered, read) for wamids the Cloud API stand-in gave out,
 * grouped {@code perPost} to a POST in the StatusMessageValue shape, each POST signed as Meta signs it
 * (X-Hub-Signature-256 with the app secret) and sent by one of {@code clients} concurrent senders that each wait
 * for the answer before the next POST.
 */
public final class WebhookLoad {

    static final List<String> STATUSES = List.of("sent", "delivered", "read");

    /** Outcome: POSTs made, how many were answered 200, each POST's latency, the wall time. */
    public record Result(int posts, int ok, long startNanos, long endNanos, long[] latencyNanos, List<String> errors) {
    }

    private WebhookLoad() {
    }

    /** The body of a POST carrying statuses {@code from} .. {@code from + count - 1} of the list. */
    static byte[] body(List<String[]> statuses, int from, int count, long epochSecond, String phoneNumberId) {
        StringBuilder b = new StringBuilder(200 + count * 330);
        b.append("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"419561257915477\",\"changes\":[{")
                .append("\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{")
                .append("\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"").append(phoneNumberId)
                .append("\"},\"statuses\":[");
        for (int i = from; i < from + count; i++) {
            String[] s = statuses.get(i); // wamid, status, recipient digits
            if (i > from) {
                b.append(',');
            }
            b.append("{\"id\":\"").append(s[0]).append("\",\"status\":\"").append(s[1])
                    .append("\",\"timestamp\":\"").append(epochSecond).append("\",\"recipient_id\":\"").append(s[2])
                    .append('"');
            if (!"read".equals(s[1])) {
                b.append(",\"conversation\":{\"id\":\"CONV").append(s[2]).append("\",\"expiration_timestamp\":\"")
                        .append(epochSecond + 86400).append("\",\"origin\":{\"type\":\"utility\"}},")
                        .append("\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"utility\"}");
            }
            b.append('}');
        }
        b.append("]}}]}]}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Result run(String url, String appSecret, String phoneNumberId, List<String[]> statuses, int perPost,
                             int clients) throws InterruptedException {
        int posts = (statuses.size() + perPost - 1) / perPost;
        long[] latency = new long[posts];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long epoch = System.currentTimeMillis() / 1000;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                for (int p = next.getAndIncrement(); p < posts; p = next.getAndIncrement()) {
                    int from = p * perPost;
                    byte[] body = body(statuses, from, Math.min(perPost, statuses.size() - from), epoch, phoneNumberId);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "facebookexternalua")
                            .header(WebhookSignature.HEADER, WebhookSignature.sign(body, appSecret))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long sent = System.nanoTime();
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        latency[p] = System.nanoTime() - sent;
                        if (status == 200) {
                            ok.incrementAndGet();
                        } else if (errors.size() < 5) {
                            errors.add("HTTP " + status);
                        }
                    } catch (Exception e) {
                        latency[p] = System.nanoTime() - sent;
                        if (errors.size() < 5) {
                            errors.add(e.toString());
                        }
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }, "webhook-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Result(posts, ok.get(), start, System.nanoTime(), latency, List.copyOf(errors));
    }
}
