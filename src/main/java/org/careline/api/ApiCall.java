package org.careline.api;

import org.careline.access.Caller;

import java.time.Instant;
import java.util.Map;

/**
 * One request to the API, as a handler sees it: who (already signed in and allowed), the values from the path
 * ({@code {id}}), the query, the body's bytes and the time.
 */
public record ApiCall(Caller caller, Map<String, String> path, Map<String, String> query, byte[] body, Instant now,
                      String remoteAddress) {

    public String pathValue(String name) {
        return path.get(name);
    }

    /** A path value that must be a whole number; absent or malformed → a 404 for the caller. */
    public long pathId(String name) {
        String v = path.get(name);
        if (v == null || !v.matches("\\d{1,18}")) {
            throw new ApiAnswer.Problem(404, "not found");
        }
        return Long.parseLong(v);
    }

    public String queryValue(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
