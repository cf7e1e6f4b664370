package io.cockpitwsjava.ssh;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.cockpitwsjava.protocol.HostTarget;

/**
 * Which {@code host:port} a login may reach ({@code cockpit.ssh.allowed-hosts}, {@code cockpit.ssh.denied-addresses}).
 *
 * <p>An allowed entry is {@code HOST} or {@code HOST:PORTS} ({@code [HOST]:PORTS} for IPv6). Without {@code :PORTS}
 * only port 22 is allowed: SSH, not every service the gateway can reach. {@code PORTS} is {@code *}, a port, or a
 * range {@code 2200-2299}. {@code HOST} is one of
 * <ul>
 * <li>{@code *}: any host;</li>
 * <li>an address pattern — it has only digits, dots, {@code *}, {@code ?}, or is an IPv6 address, or has a
 * {@code /}: an address ({@code 10.1.2.3}, {@code fd00::1}), a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) or
 * an IPv4 glob ({@code 10.0.0.*}). It is checked on the resolved addresses only, never on the name the user typed,
 * so {@code 10.0.0.*} does not admit {@code 10.0.0.attacker.example}; every address a name resolves to must match;</li>
 * <li>a name glob ({@code *.example.com}, {@code db?}): matched, case-insensitively, on the name the user typed
 * (never on an address literal). It trusts that name's DNS: whatever the name resolves to may be reached, except
 * denied addresses.</li>
 * </ul>
 * A denied entry is an address or CIDR block; a name that resolves to any denied address is refused, whatever the
 * allowed entries say. The connector resolves a name once, decides here on exactly those addresses and connects
 * only to them. Refusals look exactly like an unreachable host to the user (no network mapping from the login page).
 */
public final class HostAccessPolicy {

    private final List<Rule> allowed;
    private final List<Cidr> denied;

    /** @throws IllegalArgumentException for an entry that is neither a host pattern nor an address block */
    public HostAccessPolicy(List<String> allowed, List<String> denied) {
        this.allowed = new ArrayList<>();
        for (String a : allowed) {
            String p = a.strip();
            if (!p.isEmpty()) {
                this.allowed.add(Rule.parse(p));
            }
        }
        this.denied = new ArrayList<>();
        for (String d : denied) {
            String p = d.strip();
            if (p.isEmpty()) {
                continue;
            }
            Cidr c = Cidr.parse(p);
            if (c == null) {
                throw new IllegalArgumentException("denied address is not an address or CIDR block: " + d);
            }
            this.denied.add(c);
        }
    }

    private HostAccessPolicy(List<Rule> allowed, List<Cidr> denied, Rule extra) {
        this.allowed = new ArrayList<>(allowed);
        this.allowed.add(extra);
        this.denied = denied;
    }

    /**
     * This policy plus exactly {@code target}'s host and port (the configured default host: an administrator named
     * it, so it stays reachable whatever its port). Denied addresses still win.
     */
    public HostAccessPolicy alsoAllowing(HostTarget target) {
        String host = target.host().toLowerCase(Locale.ROOT);
        HostPattern exact = isAddressLiteral(host) ? Cidr.parse(stripZone(host)) : new NameGlob(Pattern.compile(
                Pattern.quote(host)));
        if (exact == null) {
            return this;
        }
        return new HostAccessPolicy(allowed, denied, new Rule(exact, new Ports(target.port(), target.port())));
    }

    /**
     * Decides for a host as typed, a port and the addresses the host resolved to (no DNS here): the connection must
     * then go to one of exactly these addresses, so that a second lookup cannot lead somewhere else.
     */
    public boolean permits(String host, int port, InetAddress[] addresses) {
        if (addresses.length == 0) {
            return false;
        }
        for (InetAddress a : addresses) {
            for (Cidr d : denied) {
                if (d.contains(a)) {
                    return false;
                }
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        boolean literal = isAddressLiteral(name);
        for (Rule r : allowed) {
            if (r.ports().contains(port) && (r.host() instanceof AnyHost
                    || !literal && r.host() instanceof NameGlob g && g.matches(name))) {
                return true;
            }
        }
        for (InetAddress a : addresses) {
            boolean matched = false;
            for (Rule r : allowed) {
                if (r.ports().contains(port) && r.host() instanceof AddressPattern p && p.contains(a)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if some entry admits every host on some port ({@code *}, {@code 0.0.0.0/0}, {@code ::/0},
     * {@code *.*.*.*}): then a credential that needs no password opens every SSH server that accepts it.
     */
    public boolean admitsAnyHost() {
        return allowed.stream().anyMatch(r -> r.host() instanceof AnyHost
                || r.host() instanceof Cidr c && c.bits() == 0
                || r.host() instanceof Ipv4Glob g && g.source().matches("[*.]+"));
    }

    /** Digits and dots only (any IPv4 form Java accepts), or a colon (IPv6): never matched by a name glob. */
    static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static String stripZone(String host) {
        int pct = host.indexOf('%');
        return pct < 0 ? host : host.substring(0, pct);
    }

    /** One allowed entry. */
    record Rule(HostPattern host, Ports ports) {
        static Rule parse(String entry) {
            String host;
            String ports = null;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw bad(entry, "missing ]");
                }
                host = entry.substring(1, close);
                String rest = entry.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw bad(entry, "expected :PORTS after ]");
                    }
                    ports = rest.substring(1);
                }
            } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
                host = entry.substring(0, entry.indexOf(':'));
                ports = entry.substring(entry.indexOf(':') + 1);
            } else {
                host = entry; // no colon, or an IPv6 address/block without a port
            }
            return new Rule(HostPattern.parse(entry, host.toLowerCase(Locale.ROOT)),
                    ports == null ? Ports.SSH : Ports.parse(entry, ports));
        }
    }

    static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("allowed-hosts entry '" + entry + "': " + why);
    }

    /** The ports of an entry: an inclusive range. */
    record Ports(int from, int to) {
        static final Ports SSH = new Ports(HostTarget.DEFAULT_PORT, HostTarget.DEFAULT_PORT);
        static final Ports ANY = new Ports(1, 65535);

        static Ports parse(String entry, String s) {
            if (s.equals("*")) {
                return ANY;
            }
            try {
                int dash = s.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1));
                if (from < 1 || to > 65535 || from > to) {
                    throw bad(entry, "ports must be within 1..65535, low-high");
                }
                return new Ports(from, to);
            } catch (NumberFormatException e) {
                throw bad(entry, "PORTS is *, a port or a range like 2200-2299");
            }
        }

        boolean contains(int port) {
            return port >= from && port <= to;
        }
    }

    /** What an entry says about the host. */
    sealed interface HostPattern permits AnyHost, NameGlob, AddressPattern {
        static HostPattern parse(String entry, String host) {
            if (host.equals("*")) {
                return new AnyHost();
            }
            if (host.contains("/") || host.contains(":") || host.matches("[0-9.]+")) {
                Cidr c = Cidr.parse(host);
                if (c == null) {
                    throw bad(entry, "not an address or CIDR block (IPv6 takes CIDR blocks, not globs)");
                }
                return c;
            }
            if (host.matches("[0-9.*?]+")) {
                return new Ipv4Glob(host, glob(host));
            }
            if (!host.matches("[a-z0-9._*?-]+")) {
                throw bad(entry, "a host name pattern has only letters, digits, '.', '-', '_', '*' and '?'");
            }
            return new NameGlob(glob(host));
        }
    }

    /** {@code *}: every name and every address. */
    record AnyHost() implements HostPattern {
    }

    /** A glob on the (lower-cased) name the user typed. */
    record NameGlob(Pattern pattern) implements HostPattern {
        boolean matches(String name) {
            return pattern.matcher(name).matches();
        }
    }

    /** A pattern checked on each resolved address. */
    sealed interface AddressPattern extends HostPattern permits Cidr, Ipv4Glob {
        boolean contains(InetAddress a);
    }

    /** A glob on an IPv4 address in dotted decimal ({@code 10.0.0.*}). */
    record Ipv4Glob(String source, Pattern pattern) implements AddressPattern {
        @Override
        public boolean contains(InetAddress a) {
            return a instanceof java.net.Inet4Address && pattern.matcher(a.getHostAddress()).matches();
        }
    }

    private static Pattern glob(String p) {
        StringBuilder re = new StringBuilder();
        for (char ch : p.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** An address block such as 10.0.0.0/8 or fd00::/8; a plain address is a block of one. */
    record Cidr(byte[] network, int bits) implements AddressPattern {
        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (!addr.matches("[0-9.]+") && !addr.contains(":")) {
                return null;
            }
            try {
                byte[] bytes = literal(addr);
                if (bytes == null) {
                    return null;
                }
                int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
                if (bits < 0 || bits > bytes.length * 8) {
                    return null;
                }
                return new Cidr(bytes, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                return null;
            }
        }

        /** An IPv4 dotted quad or an IPv6 address, parsed without any name lookup; null if it is neither. */
        private static byte[] literal(String addr) throws UnknownHostException {
            if (addr.contains(":")) {
                // with a colon the JDK parses an IPv6 literal or throws, it never asks DNS
                return addr.matches("[0-9a-fA-F:.]+") ? InetAddress.getByName(addr).getAddress() : null;
            }
            String[] parts = addr.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                    return null;
                }
                b[i] = (byte) Integer.parseInt(parts[i]);
            }
            return b;
        }

        @Override
        public boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(b.length * 8 - bits);
            return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
