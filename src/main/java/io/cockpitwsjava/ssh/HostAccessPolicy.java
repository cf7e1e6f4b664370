package io.cockpitwsjava.ssh;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which hosts a login may reach: glob patterns on the host name, CIDR blocks on resolved addresses, and
 * addresses that are never reached. Refusals look exactly like an unknown host to the user, so the login
 * page cannot be used to map a network.
 */
public final class HostAccessPolicy {
    private final List<Pattern> allowedNames = new ArrayList<>();
    private final List<Cidr> allowedNets = new ArrayList<>();
    private final List<Cidr> deniedNets = new ArrayList<>();

    public HostAccessPolicy(List<String> allowed, List<String> denied) {
        for (String a : allowed) {
            String p = a.strip();
            if (p.isEmpty()) {
                continue;
            }
            Cidr c = Cidr.parse(p);
            if (c != null) {
                allowedNets.add(c);
            } else {
                allowedNames.add(glob(p));
            }
        }
        for (String d : denied) {
            Cidr c = Cidr.parse(d.strip());
            if (c == null) {
                throw new IllegalArgumentException("denied address is not a CIDR block: " + d);
            }
            deniedNets.add(c);
        }
    }

    /** Resolves the host (blocking DNS: call off the event loop) and decides. */
    public boolean permits(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
        return permits(host, addresses);
    }

    /**
     * Decides for a host name and the addresses it resolved to (no DNS here): the connection must then go to one of
     * exactly these addresses, so that a second lookup cannot lead somewhere else.
     */
    public boolean permits(String host, InetAddress[] addresses) {
        if (addresses.length == 0) {
            return false;
        }
        for (InetAddress a : addresses) {
            for (Cidr d : deniedNets) {
                if (d.contains(a)) {
                    return false;
                }
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        for (Pattern p : allowedNames) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        if (allowedNets.isEmpty()) {
            return false;
        }
        for (InetAddress a : addresses) {
            if (allowedNets.stream().noneMatch(c -> c.contains(a))) {
                return false;
            }
        }
        return true;
    }

    private static Pattern glob(String p) {
        StringBuilder re = new StringBuilder();
        for (char ch : p.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** An address block such as 10.0.0.0/8 or fd00::/8. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (!addr.matches("[0-9.]+") && !addr.contains(":")) {
                return null;
            }
            try {
                byte[] bytes = InetAddress.getByName(addr).getAddress(); // literal: no DNS lookup
                int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
                if (bits < 0 || bits > bytes.length * 8) {
                    return null;
                }
                return new Cidr(bytes, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                return null;
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(b.length * 8 - bits);
            return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
