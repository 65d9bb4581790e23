package org.careline.reliability;

import org.careline.support.EngineProcess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The PHI and secrets a suite put into the engine (patient names, phone numbers in every spelling, message texts,
 * tokens, app secrets), and the check that none of them appears in what the engine logged. Every suite registers
 * what it sends and checks its engine's output at the end.
 */
public final class SecretsInLogs {

    private final Set<String> watched = new LinkedHashSet<>();

    /** A value that must never be logged; values shorter than 6 characters are ignored (they match by chance). */
    public SecretsInLogs watch(String value) {
        if (value != null && value.strip().length() >= 6) {
            watched.add(value.strip());
        }
        return this;
    }

    public SecretsInLogs watchAll(Collection<String> values) {
        values.forEach(this::watch);
        return this;
    }

    /** A phone number as E.164 ({@code +447700900123}), without the plus, and as the national digits. */
    public SecretsInLogs watchPhone(String e164) {
        watch(e164);
        if (e164 != null && e164.startsWith("+")) {
            watch(e164.substring(1));
        }
        return this;
    }

    public int size() {
        return watched.size();
    }

    /**
     * Every watched value found in what these engines wrote to standard output and standard error, each reported
     * once with the first log line holding it (for the failure message), or an empty list.
     */
    public List<String> foundInEngines(EngineProcess... engines) throws IOException {
        StringBuilder all = new StringBuilder();
        for (EngineProcess e : engines) {
            all.append(e.stdout()).append('\n').append(e.stderr()).append('\n');
        }
        String log = all.toString();
        List<String> found = new ArrayList<>();
        for (String w : foundIn(log)) {
            int at = log.indexOf(w);
            int start = log.lastIndexOf('\n', at) + 1;
            int end = log.indexOf('\n', at);
            found.add(w + "  <- " + log.substring(start, end < 0 ? log.length() : Math.min(end, start + 300)));
        }
        return found;
    }

    /** Every watched value found in {@code log}, or an empty list. */
    public List<String> foundIn(String log) {
        List<String> found = new ArrayList<>();
        for (String w : watched) {
            if (log.contains(w)) {
                found.add(w);
            }
        }
        return found;
    }
}
