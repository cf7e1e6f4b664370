package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.time.Instant;
import java.util.stream.Collectors;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.jboss.logging.Logger;

/**
 * An immutable, in-memory set of trusted host keys in OpenSSH {@code known_hosts} format: the lines the browser keeps
 * in localStorage and sends with the login, the global file (docs/beiboot.md §13.4), and the pinned keys of inventory hosts.
 * Parsing is MINA's {@link KnownHostEntry}: plain and hashed ({@code |1|salt|hash}) host patterns, {@code [host]:port},
 * comma lists, {@code !negation}, {@code @revoked}, and {@code @cert-authority} (a host CA: it vouches for host
 * certificates only, never for a plain key; see {@link HostCertificateCheck}). Lines that do not parse are ignored.
 * A {@linkplain #pinned pinned} key is the only key accepted for its host, whatever other lines say.
 */
public final class KnownHosts {

    private static final Logger LOG = Logger.getLogger(KnownHosts.class);
    private static final String REVOKED = "revoked";
    private static final String CERT_AUTHORITY = "cert-authority";
    private static final int MAX_LINES = 10_000;

    public static final KnownHosts EMPTY = new KnownHosts(List.of());

    /** What a line says about its key. */
    private enum Kind {
        /** A host key of the host. */
        PLAIN,
        /** {@code @revoked}: never accepted, also not through a certificate. */
        REVOKED,
        /** {@code @cert-authority}: a host CA whose host certificates are accepted for the host. */
        CERT_AUTHORITY,
        /** An inventory's pinned key: the only key accepted for its host. */
        PINNED
    }

    /** One usable line: its text, MINA's parse, and the key (null if the key type is unknown to us). */
    private record Line(String text, KnownHostEntry entry, PublicKey key, Kind kind) {
        boolean matches(HostTarget t) {
            return entry.isHostMatch(t.host().toLowerCase(Locale.ROOT), t.port());
        }

        boolean revoked() {
            return kind == Kind.REVOKED;
        }

        /** A line that names a host key (not a revocation, not a CA). */
        boolean hostKey() {
            return kind == Kind.PLAIN || kind == Kind.PINNED;
        }
    }

    private final List<Line> lines;
    /** Another name of every target in this set (an inventory host's name): CA lines and principals may use it. */
    private final String alias;

    private KnownHosts(List<Line> lines) {
        this(lines, null);
    }

    private KnownHosts(List<Line> lines, String alias) {
        this.lines = List.copyOf(lines);
        this.alias = alias;
    }

    /** Host patterns of one line sent by a browser: more is not a line the gateway ever wrote. */
    private static final int MAX_UNTRUSTED_PATTERNS = 8;

    /** Parses known_hosts text; never throws for bad input (bad lines are skipped). {@code null} = empty. */
    public static KnownHosts parse(String text) {
        return parse(text, false);
    }

    /**
     * Parses known_hosts lines that come from a client (the login's Basic credentials, a multi-host open): only the
     * plain, bracketed and hashed host forms the gateway itself hands out in {@code login-data} are kept. Wildcards
     * and negations are dropped: MINA matches them with backtracking regular expressions, so a line such as
     * {@code ****…*8 ssh-ed25519 …} would cost seconds of an I/O thread per connection.
     */
    public static KnownHosts parseUntrusted(String text) {
        return parse(text, true);
    }

    private static KnownHosts parse(String text, boolean untrusted) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        List<Line> parsed = new ArrayList<>();
        int skipped = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            if (parsed.size() >= MAX_LINES) {
                break;
            }
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (untrusted && !plainPatterns(line)) {
                skipped++;
                continue;
            }
            Line l = parseLine(line);
            if (l == null) {
                skipped++;
            } else {
                parsed.add(l);
            }
        }
        if (skipped > 0) {
            LOG.debugf("ignored %d unusable known_hosts line(s)", skipped);
        }
        return parsed.isEmpty() ? EMPTY : new KnownHosts(parsed);
    }

    /** Whether the host field of a line holds at most a few patterns without wildcards, negations or markers. */
    private static boolean plainPatterns(String line) {
        int end = line.indexOf(' ');
        String hosts = end < 0 ? line : line.substring(0, end);
        if (hosts.startsWith("@") || hosts.indexOf('*') >= 0 || hosts.indexOf('?') >= 0 || hosts.indexOf('!') >= 0) {
            return false;
        }
        return hosts.chars().filter(c -> c == ',').count() < MAX_UNTRUSTED_PATTERNS;
    }

    /** Reads a known_hosts file; a missing file is an empty set. */
    public static KnownHosts load(Path file) throws IOException {
        if (file == null) {
            return EMPTY;
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
    }

    private static Line parseLine(String line) {
        try {
            KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(line);
            if (entry == null || entry.getKeyEntry() == null) {
                return null;
            }
            String marker = entry.getMarker();
            Kind kind;
            if (marker == null) {
                kind = Kind.PLAIN;
            } else if (REVOKED.equals(marker)) {
                kind = Kind.REVOKED;
            } else if (CERT_AUTHORITY.equals(marker)) {
                kind = Kind.CERT_AUTHORITY;
            } else {
                return null; // unknown markers: never trusted
            }
            // IGNORING: an unknown key type still names the host (so it counts as "host known, key differs")
            PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
            if (kind == Kind.CERT_AUTHORITY && (key == null || key instanceof OpenSshCertificate)) {
                return null; // a CA must be a plain key we can verify signatures with
            }
            return new Line(line, entry, key, kind);
        } catch (RuntimeException | IOException | java.security.GeneralSecurityException e) {
            return null;
        }
    }

    /**
     * The one key accepted for {@code target}: with this line in a set, every other key of the host is
     * {@link HostKeyStatus#CHANGED}, whatever the other lines (or a host CA) say. For an inventory's {@code host-key}.
     */
    public static KnownHosts pinned(HostTarget target, PublicKey key) {
        String text = line(target, key);
        KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(text);
        return new KnownHosts(List.of(new Line(text, entry, key, Kind.PINNED)));
    }

    /** Both sets together (this one's lines first; this one's alias, else the other's). */
    public KnownHosts plus(KnownHosts other) {
        if (other == null || other.lines.isEmpty()) {
            return this;
        }
        if (lines.isEmpty() && (alias == null || alias.equals(other.alias))) {
            return other;
        }
        List<Line> all = new ArrayList<>(lines);
        all.addAll(other.lines);
        return new KnownHosts(all, alias != null ? alias : other.alias);
    }

    /**
     * The same lines, with {@code name} as another name of the target: a {@code @cert-authority} line for
     * {@code name} applies, and a host certificate may name it as its principal. For an inventory host, whose
     * inventory name is a name of the host as much as its address is.
     */
    public KnownHosts alsoNaming(String name) {
        return new KnownHosts(lines, name == null || name.isBlank() ? null : name.toLowerCase(Locale.ROOT));
    }

    /** The names a host certificate of {@code target} may carry as principal: its host as written, and the alias. */
    private List<String> namesOf(HostTarget target) {
        String host = target.host().toLowerCase(Locale.ROOT);
        return alias == null || alias.equals(host) ? List.of(host) : List.of(host, alias);
    }

    private boolean caMatches(Line l, HostTarget target) {
        return l.matches(target) || alias != null && l.entry().isHostMatch(alias, target.port());
    }

    /**
     * Verdict for {@code key} offered by {@code target}: a revoked match → {@link HostKeyStatus#CHANGED}; a line with
     * this key → {@link HostKeyStatus#TRUSTED}; lines for the host but none with this key →
     * {@link HostKeyStatus#CHANGED}; no line for the host → {@link HostKeyStatus#UNKNOWN}. A pinned line decides
     * alone. A host certificate ({@link OpenSshCertificate}) signed by a CA of a {@code @cert-authority} line for the
     * host is {@link HostKeyStatus#TRUSTED} if {@link HostCertificateCheck} finds it valid now, and
     * {@link HostKeyStatus#CHANGED} if not; a certificate of a CA no line names is judged by its plain key (as OpenSSH
     * does).
     */
    public HostKeyStatus check(HostTarget target, PublicKey key) {
        if (key instanceof OpenSshCertificate cert) {
            return checkCertificate(target, cert);
        }
        List<Line> pins = lines.stream().filter(l -> l.kind() == Kind.PINNED && l.matches(target)).toList();
        if (!pins.isEmpty()) {
            return pins.stream().anyMatch(l -> KeyUtils.compareKeys(l.key(), key)) ? HostKeyStatus.TRUSTED
                    : HostKeyStatus.CHANGED;
        }
        boolean hostKnown = false;
        boolean trusted = false;
        for (Line l : lines) {
            if (!l.matches(target) || l.kind() == Kind.CERT_AUTHORITY) {
                continue;
            }
            boolean same = l.key() != null && KeyUtils.compareKeys(l.key(), key);
            if (l.revoked()) {
                if (same) {
                    return HostKeyStatus.CHANGED;
                }
                continue; // a revoked other key says nothing about this one
            }
            hostKnown = true;
            trusted |= same;
        }
        if (trusted) {
            return HostKeyStatus.TRUSTED;
        }
        return hostKnown ? HostKeyStatus.CHANGED : HostKeyStatus.UNKNOWN;
    }

    private HostKeyStatus checkCertificate(HostTarget target, OpenSshCertificate cert) {
        boolean pinned = lines.stream().anyMatch(l -> l.kind() == Kind.PINNED && l.matches(target));
        if (pinned) {
            return check(target, cert.getCertPubKey()); // a pinned key is the only trust there is
        }
        for (Line l : lines) {
            if (l.revoked() && l.matches(target) && l.key() != null
                    && (KeyUtils.compareKeys(l.key(), cert.getCaPubKey())
                            || KeyUtils.compareKeys(l.key(), cert.getCertPubKey()))) {
                return HostKeyStatus.CHANGED;
            }
        }
        for (Line l : lines) {
            if (l.kind() == Kind.CERT_AUTHORITY && caMatches(l, target)
                    && KeyUtils.compareKeys(l.key(), cert.getCaPubKey())) {
                return certificateProblem(target, cert).isEmpty() ? HostKeyStatus.TRUSTED : HostKeyStatus.CHANGED;
            }
        }
        return check(target, cert.getCertPubKey());
    }

    /**
     * Why the host certificate {@code cert} from {@code target} is not accepted by a CA line of this set, for the log;
     * empty if it is accepted (or is judged by its plain key because no CA line names its CA).
     */
    public Optional<String> certificateProblem(HostTarget target, OpenSshCertificate cert) {
        for (Line l : lines) {
            if (l.kind() == Kind.CERT_AUTHORITY && caMatches(l, target)
                    && KeyUtils.compareKeys(l.key(), cert.getCaPubKey())) {
                return HostCertificateCheck.problem(cert, l.key(), namesOf(target), Instant.now());
            }
        }
        return Optional.empty();
    }

    /** Whether a {@code @cert-authority} line names {@code target} (and no pinned key does): ask for certificates. */
    public boolean hasCertificateAuthorityFor(HostTarget target) {
        boolean pinned = lines.stream().anyMatch(l -> l.kind() == Kind.PINNED && l.matches(target));
        return !pinned && lines.stream().anyMatch(l -> l.kind() == Kind.CERT_AUTHORITY && caMatches(l, target));
    }

    /**
     * OpenSSH key type names ({@code ssh-ed25519}, ...) of the usable, non-revoked host keys listed for {@code target}
     * (only the pinned one's, when one is pinned).
     */
    public Set<String> keyTypesFor(HostTarget target) {
        boolean pinned = lines.stream().anyMatch(l -> l.kind() == Kind.PINNED && l.matches(target));
        return lines.stream()
                .filter(l -> l.hostKey() && (!pinned || l.kind() == Kind.PINNED) && l.key() != null
                        && l.matches(target))
                .map(l -> KeyUtils.getKeyType(l.key()))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /**
     * The original lines that name {@code target} (including revoked ones, not host CAs), each
     * {@code \n}-terminated.
     */
    public String linesFor(HostTarget target) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            if (l.kind() != Kind.CERT_AUTHORITY && l.matches(target)) {
                b.append(l.text()).append('\n');
            }
        }
        return b.toString();
    }

    /** All usable lines, {@code \n}-terminated. */
    public String text() {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l.text()).append('\n'));
        return b.toString();
    }

    /** Number of usable lines. */
    public int size() {
        return lines.size();
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** {@code "<knownHostsName> <ssh-keytype> <base64>"}: the line for a key accepted for {@code target}. */
    public static String line(HostTarget target, PublicKey key) {
        return target.knownHostsName() + " " + PublicKeyEntry.toString(key);
    }

    @Override
    public String toString() {
        return "KnownHosts[" + lines.size() + " lines" + (alias == null ? "" : ", also named " + alias) + "]";
    }
}
