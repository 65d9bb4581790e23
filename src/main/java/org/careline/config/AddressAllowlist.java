package org.careline.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The source addresses allowed to connect (CARELINE_MLLP_ALLOW): IPv4 and IPv6 addresses and CIDR blocks. The
 * matching is Netty's {@link IpSubnetFilterRule}, not bit arithmetic of our own. An empty list allows everyone.
 */
public final class AddressAllowlist {

    private static final AddressAllowlist EVERYONE = new AddressAllowlist(List.of(), List.of());

    private final List<String> entries;
    private final List<IpSubnetFilterRule> rules;

    private AddressAllowlist(List<String> entries, List<IpSubnetFilterRule> rules) {
        this.entries = List.copyOf(entries);
        this.rules = List.copyOf(rules);
    }

    public static AddressAllowlist everyone() {
        return EVERYONE;
    }

    /**
     * Reads a comma-separated list such as {@code 10.1.2.3, 10.20.0.0/16, fd00::/8}; a wrong entry fails naming
     * {@code variable} and the entry.
     */
    public static AddressAllowlist parse(String variable, String raw) {
        if (raw == null || raw.isBlank()) {
            return EVERYONE;
        }
        List<String> entries = new ArrayList<>();
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String part : raw.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            rules.add(ruleOf(variable, entry));
            entries.add(entry);
        }
        return new AddressAllowlist(entries, rules);
    }

    private static IpSubnetFilterRule ruleOf(String variable, String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        boolean v4 = NetUtil.isValidIpV4Address(address);
        boolean v6 = !v4 && NetUtil.isValidIpV6Address(address);
        int maxBits = v4 ? 32 : 128;
        int bits = maxBits;
        if (slash >= 0) {
            String prefix = entry.substring(slash + 1);
            bits = prefix.matches("\\d{1,3}") ? Integer.parseInt(prefix) : -1;
        }
        if (!(v4 || v6) || bits < 0 || bits > maxBits) {
            throw new IllegalArgumentException(variable + " must list IPv4/IPv6 addresses or CIDR blocks separated by "
                    + "commas (e.g. 10.1.2.3,10.20.0.0/16,fd00::/8), got '" + entry + "'");
        }
        // IpSubnetFilterRule takes the address as text and parses it itself; a literal never triggers a DNS lookup.
        return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
    }

    /** Whether there is no list (everyone may connect). */
    public boolean open() {
        return rules.isEmpty();
    }

    /** Whether a connection from {@code address} may stay. */
    public boolean allows(InetAddress address) {
        if (rules.isEmpty()) {
            return true;
        }
        InetSocketAddress remote = new InetSocketAddress(address, 0);
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(remote)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "everyone" : String.join(",", entries);
    }
}
