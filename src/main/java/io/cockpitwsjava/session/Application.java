package io.cockpitwsjava.session;

/**
 * The login application a request path belongs to (ws-contract §2.1): {@code cockpit}, {@code cockpit+NAME}, or a
 * host application {@code cockpit+=HOST} (also written {@code /=HOST}). Computed on the raw path.
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

    /** The cookie name: {@code machine-cockpit+HOST} for host applications, else the application name. */
    public String cookieName() {
        return isHost() ? "machine-cockpit+" + host : name;
    }

    /** The canonical URL prefix of this application ({@code /cockpit+=HOST}). */
    public String urlPrefix() {
        return "/" + name;
    }
}
