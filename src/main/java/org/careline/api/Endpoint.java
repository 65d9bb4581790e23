package org.careline.api;

import org.careline.model.Role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the API: method, path under /api/v1 (with {@code {name}} for values), the roles allowed (empty:
 * open to anyone signed in or not — only signing in itself), a line saying what it does (the API description is
 * made from these entries, see {@link OpenApiDocument}), and the handler.
 */
public record Endpoint(String method, String path, Set<Role> roles, String summary, Handler handler) {

    /**
     * Every person signed in, whatever their role (their own session, the API description); not a portal system,
     * whose token may call its one endpoint only.
     */
    public static final Set<Role> ANY_ROLE = Set.of(Role.ADMIN, Role.STAFF, Role.ANALYST, Role.AUDITOR);
    /** No sign-in needed: only POST /session, where one signs in. */
    public static final Set<Role> OPEN = Set.of();

    @FunctionalInterface
    public interface Handler {
        ApiAnswer handle(ApiCall call) throws Exception;
    }

    public boolean open() {
        return roles.isEmpty();
    }

    /** Each path template as a pattern, made once (a record holds no more than its components). */
    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Pattern NAME = Pattern.compile("\\{([a-zA-Z]+)}");

    /** The path's values if {@code actual} (a path under /api/v1) is this endpoint's path. */
    public Optional<Map<String, String>> match(String actual) {
        Matcher a = PATTERNS.computeIfAbsent(path, Endpoint::compile).matcher(actual);
        if (!a.matches()) {
            return Optional.empty();
        }
        List<String> names = pathNames();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), a.group(i + 1));
        }
        return Optional.of(values);
    }

    /** The names of the path's values, in order: /handoffs/{id}/claim → [id]. */
    public List<String> pathNames() {
        List<String> names = new java.util.ArrayList<>();
        Matcher m = NAME.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = NAME.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(last))).toString());
    }
}
