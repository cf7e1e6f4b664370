package io.cockpitwsjava.session;

import java.util.Optional;

import io.cockpitwsjava.protocol.HostTarget;

/**
 * The login application a request path belongs to (docs/protocol.md §2.1): {@code cockpit}, {@code cockpit+NAME}, or a
 * host application {@code cockpit+=HOST} (also written {@code /=HOST}). Computed on the raw path, so {@code HOST}
 * may be anything a link puts there: {@link #target()} says whether it is a destination at all, and
 * {@link #cookieName()} is safe in a {@code Set-Cookie} header whatever it holds.
 */
public record Application(String name, String host) {

    public static final Application DEFAULT = new Application("cockpit", null);

    /** Maps a raw request path (after UrlRoot) to its application. */
    public static Application fromPath(String path) {
        String first = firstSegment(path);
        if (first.startsWith("=") && first.length() > 1) {
            return new Application("cockpit+" + first, first.substring(1));
        }
        if (first.startsWith("cockpit+=") && first.length() > "cockpit+=".length()) {
            return new Application(first, first.substring("cockpit+=".length()));
        }
        if (first.startsWith("cockpit+") && first.length() > "cockpit+".length()) {
            return new Application(first, null);
        }
        return DEFAULT;
    }

    /** The first path segment without the leading slash ("" for "/"). */
    public static String firstSegment(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        String seg = slash < 0 ? p : p.substring(0, slash);
        int q = seg.indexOf('?');
        return q < 0 ? seg : seg.substring(0, q);
    }

    /** Whether this is a host application ({@code cockpit+=HOST}). */
    public boolean isHost() {
        return host != null;
    }

    /**
     * The host application's destination, if its {@code HOST} parses with {@link HostTarget#parse} (the one strict
     * parser); empty for other applications and for hosts that are not a destination ({@code a;b}, {@code a%20b}).
     */
    public Optional<HostTarget> target() {
        if (!isHost()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HostTarget.parse(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The cookie name (docs/protocol.md §2.2): {@code machine-cockpit+HOST} for host applications, else the application
     * name, with every character that is not an RFC 6265 token character escaped ({@link CookieName#encode}), so
     * {@code machine-cockpit+user@host:2222} is sent as {@code machine-cockpit+user%40host%3A2222}.
     */
    public String cookieName() {
        return isHost() ? "machine-cockpit+" + CookieName.encode(host) : CookieName.encode(name);
    }

    /** The canonical URL prefix of this application ({@code /cockpit+=HOST}). */
    public String urlPrefix() {
        return "/" + name;
    }
}
