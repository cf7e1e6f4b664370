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
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.jboss.logging.Logger;

/**
 * An immutable, in-memory set of trusted host keys in OpenSSH {@code known_hosts} format: the lines the browser keeps
 * in localStorage and sends with the login, and the global file (beiboot §13.4). Parsing is MINA's
 * {@link KnownHostEntry}: plain and hashed ({@code |1|salt|hash}) host patterns, {@code [host]:port}, comma lists,
 * {@code !negation}, {@code @revoked}. Lines that do not parse and {@code @cert-authority} lines are ignored.
 */
public final class KnownHosts {

    private static final Logger LOG = Logger.getLogger(KnownHosts.class);
    private static final String REVOKED = "revoked";
    private static final int MAX_LINES = 10_000;

    public static final KnownHosts EMPTY = new KnownHosts(List.of());

    /** One usable line: its text, MINA's parse, and the key (null if the key type is unknown to us). */
    private record Line(String text, KnownHostEntry entry, PublicKey key, boolean revoked) {
        boolean matches(HostTarget t) {
            return entry.isHostMatch(t.host().toLowerCase(Locale.ROOT), t.port());
        }
    }

    private final List<Line> lines;

    private KnownHosts(List<Line> lines) {
        this.lines = List.copyOf(lines);
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
            if (marker != null && !REVOKED.equals(marker)) {
                return null; // @cert-authority and unknown markers: not supported, never trusted
            }
            // IGNORING: an unknown key type still names the host (so it counts as "host known, key differs")
            PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
            return new Line(line, entry, key, marker != null);
        } catch (RuntimeException | IOException | java.security.GeneralSecurityException e) {
            return null;
        }
    }

    /** Both sets together (this one's lines first). */
    public KnownHosts plus(KnownHosts other) {
        if (other == null || other.lines.isEmpty()) {
            return this;
        }
        if (lines.isEmpty()) {
            return other;
        }
        List<Line> all = new ArrayList<>(lines);
        all.addAll(other.lines);
        return new KnownHosts(all);
    }

    /**
     * Verdict for {@code key} offered by {@code target}: a revoked match → {@link HostKeyStatus#CHANGED}; a line with
     * this key → {@link HostKeyStatus#TRUSTED}; lines for the host but none with this key →
     * {@link HostKeyStatus#CHANGED}; no line for the host → {@link HostKeyStatus#UNKNOWN}.
     */
    public HostKeyStatus check(HostTarget target, PublicKey key) {
        boolean hostKnown = false;
        boolean trusted = false;
        for (Line l : lines) {
            if (!l.matches(target)) {
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

    /** OpenSSH key type names ({@code ssh-ed25519}, ...) of the usable, non-revoked keys listed for {@code target}. */
    public Set<String> keyTypesFor(HostTarget target) {
        return lines.stream()
                .filter(l -> !l.revoked() && l.key() != null && l.matches(target))
                .map(l -> KeyUtils.getKeyType(l.key()))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** The original lines that name {@code target} (including revoked ones), each {@code \n}-terminated. */
    public String linesFor(HostTarget target) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            if (l.matches(target)) {
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
        return "KnownHosts[" + lines.size() + " lines]";
    }
}
