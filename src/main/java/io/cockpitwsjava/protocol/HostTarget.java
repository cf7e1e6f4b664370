package io.cockpitwsjava.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An SSH destination {@code [user@]host[:port]}, as named by the browser's "Connect to" field or the application
 * name. {@link #parse(String)} is the one strict parser for such strings in the gateway.
 *
 * @param user the {@code user@} part, or {@code null} if the destination names no user
 * @param host host name or IP address, without IPv6 brackets
 * @param port TCP port, 22 unless given
 */
public record HostTarget(String user, String host, int port) {

    public static final int DEFAULT_PORT = 22;
    private static final int MAX_LENGTH = 1024;
    private static final int MAX_HOST_LENGTH = 255;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]*)");
    /** Hex groups with colons, an optional dotted IPv4 tail and an optional {@code %zone}. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");

    public HostTarget {
        Objects.requireNonNull(host, "host");
        checkHost(host);
        if (user != null) {
            checkUser(user);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range (1..65535): " + port);
        }
    }

    /**
     * Parses {@code [user@]host[:port]} (docs/beiboot.md §13.3): a trailing {@code :digits} is a port unless what is before it
     * ends with {@code :} (so {@code ::1} stays an address); brackets around an IPv6 host are removed.
     *
     * @throws IllegalArgumentException with a message fit for a log, if the string is not a clean destination
     */
    public static HostTarget parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (spec.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("host string too long");
        }
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("whitespace or control character in host string");
            }
        }
        if (spec.charAt(0) == '-') {
            throw new IllegalArgumentException("host string must not start with '-'");
        }
        if (spec.indexOf('/') >= 0) {
            throw new IllegalArgumentException("'/' in host string");
        }

        String user = null;
        String rest = spec;
        int at = spec.lastIndexOf('@');
        if (at >= 0) {
            user = spec.substring(0, at);
            rest = spec.substring(at + 1);
            if (user.isEmpty()) {
                throw new IllegalArgumentException("empty user name before '@'");
            }
        }

        int port = DEFAULT_PORT;
        String host = rest;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String before = rest.substring(0, colon);
            String after = rest.substring(colon + 1);
            if (!after.isEmpty() && after.chars().allMatch(ch -> ch >= '0' && ch <= '9') && !before.endsWith(":")) {
                port = parsePort(after);
                host = before;
            }
        }
        if (host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostTarget(user, host, port);
    }

    /** The name OpenSSH uses in {@code known_hosts} and prompts: {@code host}, or {@code [host]:port} off port 22. */
    public String knownHostsName() {
        return port == DEFAULT_PORT ? host : "[" + host + "]:" + port;
    }

    /** {@code [user@]host[:port]} such that {@code parse(display())} gives this target back. */
    public String display() {
        String h = isIpv6() ? "[" + host + "]" : host;
        String withPort = port == DEFAULT_PORT ? h : h + ":" + port;
        return user == null ? withPort : user + "@" + withPort;
    }

    /** The same destination with another user (e.g. the Basic user when the destination names none). */
    public HostTarget withUser(String newUser) {
        return new HostTarget(newUser, host, port);
    }

    /** True if the host is an IPv6 literal. */
    public boolean isIpv6() {
        return host.indexOf(':') >= 0;
    }

    @Override
    public String toString() {
        return display();
    }

    private static int parsePort(String digits) {
        if (digits.length() > 5) {
            throw new IllegalArgumentException("bad port: " + digits);
        }
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("bad port: " + digits);
        }
        return p;
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (host.length() > MAX_HOST_LENGTH) {
            throw new IllegalArgumentException("host name too long");
        }
        if (host.indexOf(':') >= 0) {
            if (!IPV6.matcher(host).matches()) {
                throw new IllegalArgumentException("bad IPv6 address or port in host: " + printable(host));
            }
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("bad host name: " + printable(host));
        }
    }

    private static void checkUser(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        if (user.length() > 256) {
            throw new IllegalArgumentException("user name too long");
        }
        if (user.charAt(0) == '-') {
            throw new IllegalArgumentException("user name must not start with '-'");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c) || c == '/'
                    || c == ':') {
                throw new IllegalArgumentException("bad character in user name");
            }
        }
    }

    /** Host strings reach logs; keep them to printable ASCII there. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : "?"));
        return b.toString();
    }
}
