package io.cockpitwsjava.web;

import java.util.List;
import java.util.Optional;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

/**
 * Which address a request comes from, for login limits and logs. Without {@code ForwardedForHeader} it is the TCP
 * peer. With it, it is the last address in that header: the one the trusted proxy in front of the gateway appended
 * (entries before it are whatever the client sent and prove nothing). Only the last occurrence of the header counts
 * (a proxy may add its own line instead of appending), and only if that last entry is an IP address (optionally
 * with a port, {@code 1.2.3.4:5678} or {@code [2001:db8::1]:5678}); otherwise — no header, a name, garbage — the
 * request counts as coming from the TCP peer, i.e. the proxy, so a forged value can never give a client a fresh
 * address.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    /** The client address of this request in canonical text form ({@code 192.0.2.1}, {@code 2001:db8::1}). */
    static String of(HttpServerRequest request, Optional<String> forwardedForHeader) {
        if (forwardedForHeader.isPresent()) {
            Optional<String> forwarded = lastHop(request.headers().getAll(forwardedForHeader.get()));
            if (forwarded.isPresent()) {
                return forwarded.get();
            }
        }
        var peer = request.remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return "unknown";
        }
        return ipLiteral(peer.hostAddress()).orElse(peer.hostAddress());
    }

    /** The last entry of the last header value, if it is an IP address (separators: commas and spaces). */
    static Optional<String> lastHop(List<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Optional.empty();
        }
        String value = headerValues.get(headerValues.size() - 1).strip();
        int cut = Math.max(value.lastIndexOf(','), value.lastIndexOf(' '));
        return ipLiteral(value.substring(cut + 1).strip());
    }

    /** An IP literal in canonical form; a port ({@code :n} after IPv4 or after {@code [v6]}) is dropped. */
    static Optional<String> ipLiteral(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String t = text;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || !(close == t.length() - 1 || isPort(t.substring(close + 1)))) {
                return Optional.empty();
            }
            t = t.substring(1, close);
        } else if (t.indexOf(':') == t.lastIndexOf(':') && t.indexOf(':') > 0) {
            // exactly one colon: IPv4 with a port (an IPv6 address has at least two)
            int colon = t.indexOf(':');
            if (!isPort(t.substring(colon))) {
                return Optional.empty();
            }
            t = t.substring(0, colon);
        }
        if (t.indexOf('%') >= 0) {
            return Optional.empty(); // a zone names an interface of the sender, not a client
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(t);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(NetUtil.toAddressString(java.net.InetAddress.getByAddress(bytes)));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty(); // not 4 or 16 bytes: cannot happen for a parsed literal
        }
    }

    private static boolean isPort(String colonDigits) {
        return colonDigits.length() >= 2 && colonDigits.length() <= 6 && colonDigits.charAt(0) == ':'
                && colonDigits.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
