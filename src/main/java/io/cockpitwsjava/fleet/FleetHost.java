package io.cockpitwsjava.fleet;

import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.cockpitwsjava.identity.LabelledHost;
import io.cockpitwsjava.protocol.HostTarget;
import io.cockpitwsjava.ssh.KnownHosts;

/**
 * One entry of the inventory's {@code hosts:} list.
 *
 * @param name    the name in URLs ({@code /=<name>/}, {@code /cockpit+=<name>/}) and cookie names; see {@link #NAME}
 * @param address where to connect; never carries a user (the access rules choose the user)
 * @param labels  what access rules select on
 * @param hostKey the pinned host key, if the inventory gives one: then only this key is accepted
 */
public record FleetHost(String name, HostTarget address, Map<String, String> labels, Optional<PublicKey> hostKey)
        implements LabelledHost {

    /**
     * Host names: an ASCII letter or digit, then up to 62 letters, digits, {@code .}, {@code _} or {@code -}. Safe in
     * a URL path segment and in a cookie name without escaping, and never {@code .} or {@code ..}.
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Label keys: like names, plus {@code /} for prefixed keys such as {@code example.com/team}. */
    public static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
    /** Label values: up to 63 of letters, digits, {@code . _ - / : @ +}; may be empty. */
    public static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._/:@+-]{0,63}");

    public FleetHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostKey, "hostKey");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad host name '" + name + "': " + NAME_RULE);
        }
        if (address.user() != null) {
            throw new IllegalArgumentException("address must not name a user (the access rules choose it)");
        }
        labels.forEach(FleetHost::checkLabel);
        // the file's order, so the page lists a host's labels as the admin wrote them (Map.copyOf would shuffle them)
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /**
     * The host keys accepted from this host, for the prober and for logins by identity alike: the pinned key alone if
     * there is one, else {@code global} (the known_hosts file: plain keys and {@code @cert-authority} host CAs). The
     * inventory name counts as a name of the host, so a CA line or a host certificate may use it. Never a
     * first-contact question.
     */
    public KnownHosts trustedKeys(KnownHosts global) {
        return hostKey.map(k -> KnownHosts.pinned(address, k)).orElse(global).alsoNaming(name);
    }

    static final String NAME_RULE = "use 1 to 63 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit";

    static void checkLabel(String key, String value) {
        if (!LABEL_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("bad label key '" + key
                    + "': use 1 to 63 ASCII letters, digits, '.', '_', '/' or '-', starting with a letter or digit");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("bad value for label '" + key
                    + "': use up to 63 ASCII letters, digits or . _ - / : @ +");
        }
    }
}
