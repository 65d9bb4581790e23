package org.careline.api;

import java.util.Map;

/**
 * What a handler answers: a status, a body Jackson turns into JSON (null: no body) or a {@link FileBody} sent as it
 * is, and extra headers (a cookie). {@link Problem} ends a call early with a status and a message for the caller,
 * never an exception's own text.
 */
public record ApiAnswer(int status, Object body, Map<String, String> headers) {

    public static ApiAnswer ok(Object body) {
        return new ApiAnswer(200, body, Map.of());
    }

    public static ApiAnswer created(Object body) {
        return new ApiAnswer(201, body, Map.of());
    }

    public static ApiAnswer noContent() {
        return new ApiAnswer(204, null, Map.of());
    }

    /** A file to download: its bytes as they are, with its type and the name a browser saves it under. */
    public record FileBody(byte[] bytes, String contentType, String filename) {
    }

    /** 200 with a file (Content-Disposition: attachment), not JSON. */
    public static ApiAnswer file(byte[] bytes, String contentType, String filename) {
        return new ApiAnswer(200, new FileBody(bytes, contentType, filename), Map.of());
    }

    public static ApiAnswer error(int status, String message) {
        return new ApiAnswer(status, Map.of("error", message), Map.of());
    }

    /** An answer other than success, thrown from deep inside a handler (a bad body, an unknown id). */
    public static final class Problem extends RuntimeException {
        private final int status;

        public Problem(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
