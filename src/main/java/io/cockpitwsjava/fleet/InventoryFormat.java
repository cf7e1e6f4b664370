package io.cockpitwsjava.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonToken;
import io.cockpitwsjava.identity.AccessPolicy;
import io.cockpitwsjava.identity.AccessRule;
import io.cockpitwsjava.identity.HostSelector;
import io.cockpitwsjava.protocol.HostTarget;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Reads the inventory file ({@code cockpit.fleet.inventory}; reference in docs/fleet.md). Strict: unknown keys, wrong
 * types and bad values are errors naming the line, because a typo in a security file must neither widen nor narrow
 * access silently. Every mistake is collected (one per host or rule), not only the first.
 */
public final class InventoryFormat {

    /** Largest file read, in bytes. */
    public static final int MAX_BYTES = YamlNode.MAX_CHARS;

    private static final Set<String> TOP_KEYS = Set.of("hosts", "access", "probe");
    private static final Set<String> HOST_KEYS = Set.of("name", "address", "labels", "host-key");
    private static final Set<String> RULE_KEYS = Set.of("groups", "users", "hosts", "ssh-user", "superuser");
    private static final Set<String> PROBE_KEYS = Set.of("interval", "ssh-user");
    private static final Set<String> BOOLEAN_TRUE = Set.of("true", "True", "TRUE");
    private static final Set<String> BOOLEAN_FALSE = Set.of("false", "False", "FALSE");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})(ms|s|m|h)");
    private static final int MAX_SUBJECT_LENGTH = 256;

    static {
        MinaSecurity.init();
    }

    private final List<String> problems = new ArrayList<>();

    private InventoryFormat() {
    }

    /** Reads and checks {@code file} (UTF-8, at most {@link #MAX_BYTES}). */
    public static Inventory read(Path file) throws IOException, InvalidInventoryException {
        return parse(decode(readBounded(file)));
    }

    /** Parses and checks an inventory document. */
    public static Inventory parse(String yaml) throws InvalidInventoryException {
        return new InventoryFormat().document(yaml);
    }

    static byte[] readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }

    static String decode(byte[] bytes) throws InvalidInventoryException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInventoryException(List.of("the file is not UTF-8 text"));
        }
    }

    // ---- document ---------------------------------------------------------------------------------------------

    private Inventory document(String yaml) throws InvalidInventoryException {
        YamlNode root;
        try {
            root = YamlNode.parse(yaml);
        } catch (YamlNode.SyntaxException e) {
            throw new InvalidInventoryException(List.of(at(e.line, e.getMessage())));
        }
        if (!(root instanceof YamlNode.Mapping top)) {
            throw new InvalidInventoryException(List.of(at(root.line(),
                    "expected a mapping with 'hosts:' and 'access:', found " + root.kind())));
        }
        unknownKeys(top, TOP_KEYS, "");
        List<FleetHost> hosts = hosts(top);
        List<AccessRule> rules = rules(top);
        Optional<ProbeSettings> probe = probe(top);
        Inventory inventory = null;
        if (problems.isEmpty()) {
            try {
                inventory = new Inventory(hosts, new AccessPolicy(rules), probe);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInventoryException(problems);
        }
        return inventory;
    }

    private List<FleetHost> hosts(YamlNode.Mapping top) {
        List<FleetHost> hosts = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (YamlNode item : requiredList(top, "hosts")) {
            try {
                FleetHost h = host(item);
                Integer first = seen.putIfAbsent(h.name().toLowerCase(java.util.Locale.ROOT), item.line());
                if (first != null) {
                    throw new Problem(item.line(), "host '" + h.name() + "': duplicate name (first on line " + first
                            + "; names are compared ignoring case)");
                }
                hosts.add(h);
            } catch (Problem p) {
                problems.add(p.getMessage());
            }
        }
        return hosts;
    }

    private FleetHost host(YamlNode item) throws Problem {
        YamlNode.Mapping m = mapping(item, "a host");
        String name = requiredText(m, "name", "host");
        String context = "host '" + name + "'";
        if (!FleetHost.NAME.matcher(name).matches()) {
            throw new Problem(m.keyLines().get("name"), context + ": bad name: " + FleetHost.NAME_RULE);
        }
        checkKeys(m, HOST_KEYS, context);
        String addressText = requiredText(m, "address", context);
        HostTarget address;
        try {
            address = HostTarget.parse(addressText);
        } catch (IllegalArgumentException e) {
            throw new Problem(m.keyLines().get("address"), context + ": address: " + e.getMessage());
        }
        if (address.user() != null) {
            throw new Problem(m.keyLines().get("address"), context
                    + ": address must be host[:port] without a user (the access rules choose the SSH user)");
        }
        Map<String, String> labels = labels(m, context);
        Optional<PublicKey> hostKey = Optional.empty();
        if (m.entries().containsKey("host-key")) {
            hostKey = Optional.of(hostKey(text(m, "host-key", context), m.keyLines().get("host-key"), context));
        }
        try {
            return new FleetHost(name, address, labels, hostKey);
        } catch (IllegalArgumentException e) {
            throw new Problem(m.line(), context + ": " + e.getMessage());
        }
    }

    private Map<String, String> labels(YamlNode.Mapping m, String context) throws Problem {
        YamlNode node = m.entries().get("labels");
        if (node == null) {
            return Map.of();
        }
        int line = m.keyLines().get("labels");
        if (!(node instanceof YamlNode.Mapping labels)) {
            throw new Problem(line, context + ": labels must be a mapping such as {env: prod}, found " + node.kind());
        }
        return labelMap(labels, context + ": labels");
    }

    private Map<String, String> labelMap(YamlNode.Mapping m, String context) throws Problem {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entries().entrySet()) {
            int line = m.keyLines().get(e.getKey());
            if (!(e.getValue() instanceof YamlNode.Scalar s)) {
                throw new Problem(line, context + ": value of '" + e.getKey() + "' must be a single value, found "
                        + e.getValue().kind() + (e.getValue() instanceof YamlNode.Null ? " (write '' for empty)" : ""));
            }
            try {
                FleetHost.checkLabel(e.getKey(), s.text());
            } catch (IllegalArgumentException bad) {
                throw new Problem(line, context + ": " + bad.getMessage());
            }
            out.put(e.getKey(), s.text());
        }
        return out;
    }

    private static PublicKey hostKey(String line, int lineNo, String context) throws Problem {
        String[] parts = line.strip().split("\\s+");
        String expected = context + ": host-key must be one OpenSSH public key line, such as"
                + " 'ssh-ed25519 AAAA...' (no options, markers or certificates)";
        if (parts.length < 2 || parts[0].startsWith("@") || parts[0].contains("-cert-")) {
            throw new Problem(lineNo, expected);
        }
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(parts[0] + " " + parts[1])
                    .resolvePublicKey(null, Map.of(), null);
            if (key == null) {
                throw new Problem(lineNo, context + ": host-key: unsupported key type '" + parts[0] + "'");
            }
            if (!parts[0].equals(KeyUtils.getKeyType(key))) {
                throw new Problem(lineNo, context + ": host-key: the key is a " + KeyUtils.getKeyType(key)
                        + " key, not " + parts[0]);
            }
            return key;
        } catch (Problem p) {
            throw p;
        } catch (Exception e) {
            throw new Problem(lineNo, expected + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private List<AccessRule> rules(YamlNode.Mapping top) {
        List<AccessRule> rules = new ArrayList<>();
        int number = 0;
        for (YamlNode item : requiredList(top, "access")) {
            number++;
            try {
                rules.add(rule(item, number));
            } catch (Problem p) {
                problems.add(p.getMessage());
            }
        }
        return rules;
    }

    private AccessRule rule(YamlNode item, int number) throws Problem {
        String context = "access rule " + number;
        YamlNode.Mapping m = mapping(item, "an access rule");
        checkKeys(m, RULE_KEYS, context);
        Set<String> groups = subjects(m, "groups", context);
        Set<String> users = subjects(m, "users", context);
        if (groups.isEmpty() && users.isEmpty()) {
            throw new Problem(m.line(), context + ": needs 'groups:' or 'users:' with at least one name");
        }
        HostSelector hosts = selector(m, context);
        String sshUser = requiredText(m, "ssh-user", context);
        try {
            AccessRule.checkSshUser(sshUser);
        } catch (IllegalArgumentException e) {
            throw new Problem(m.keyLines().get("ssh-user"), context + ": " + e.getMessage());
        }
        boolean superuser = m.entries().containsKey("superuser") && bool(m, "superuser", context);
        return new AccessRule(number, m.line(), users, groups, hosts, sshUser, superuser);
    }

    private Set<String> subjects(YamlNode.Mapping m, String key, String context) throws Problem {
        YamlNode node = m.entries().get(key);
        if (node == null) {
            return Set.of();
        }
        int line = m.keyLines().get(key);
        if (!(node instanceof YamlNode.Sequence seq)) {
            throw new Problem(line, context + ": " + key + " must be a list such as [ops], found " + node.kind());
        }
        Set<String> out = new LinkedHashSet<>();
        for (YamlNode n : seq.items()) {
            if (!(n instanceof YamlNode.Scalar s) || s.text().isBlank()) {
                throw new Problem(n.line(), context + ": " + key + " entries must be non-empty names");
            }
            if (s.text().length() > MAX_SUBJECT_LENGTH || s.text().chars().anyMatch(Character::isISOControl)) {
                throw new Problem(n.line(), context + ": " + key + " entry too long or with control characters");
            }
            out.add(s.text());
        }
        return out;
    }

    private HostSelector selector(YamlNode.Mapping m, String context) throws Problem {
        YamlNode node = m.entries().get("hosts");
        if (node == null) {
            throw new Problem(m.line(), context + ": missing 'hosts:' (\"*\" or labels such as {env: prod})");
        }
        int line = m.keyLines().get("hosts");
        if (node instanceof YamlNode.Scalar s && s.text().equals("*")) {
            return new HostSelector.Every();
        }
        if (node instanceof YamlNode.Mapping labels) {
            if (labels.entries().isEmpty()) {
                throw new Problem(line, context + ": hosts: {} selects nothing; write \"*\" for every host");
            }
            return new HostSelector.Labels(labelMap(labels, context + ": hosts"));
        }
        throw new Problem(line, context + ": hosts must be \"*\" or labels such as {env: prod}, found "
                + (node instanceof YamlNode.Scalar s ? "'" + s.text() + "'" : node.kind()));
    }

    private Optional<ProbeSettings> probe(YamlNode.Mapping top) {
        YamlNode node = top.entries().get("probe");
        if (node == null) {
            return Optional.empty();
        }
        try {
            YamlNode.Mapping m = mapping(node, "the probe section");
            checkKeys(m, PROBE_KEYS, "probe");
            Duration interval = ProbeSettings.DEFAULT_INTERVAL;
            if (m.entries().containsKey("interval")) {
                interval = duration(text(m, "interval", "probe"), m.keyLines().get("interval"), "probe: interval");
            }
            Optional<String> sshUser = Optional.empty();
            if (m.entries().containsKey("ssh-user")) {
                sshUser = Optional.of(text(m, "ssh-user", "probe"));
            }
            try {
                return Optional.of(new ProbeSettings(interval, sshUser));
            } catch (IllegalArgumentException e) {
                throw new Problem(m.line(), "probe: " + e.getMessage());
            }
        } catch (Problem p) {
            problems.add(p.getMessage());
            return Optional.empty();
        }
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}. */
    static Duration duration(String text, int line, String context) throws Problem {
        Matcher d = DURATION.matcher(text);
        if (!d.matches()) {
            throw new Problem(line, context + ": '" + text + "' is not a duration such as 30s, 5m or 1h");
        }
        long n = Long.parseLong(d.group(1));
        return switch (d.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    // ---- small readers ----------------------------------------------------------------------------------------

    private List<YamlNode> requiredList(YamlNode.Mapping top, String key) {
        YamlNode node = top.entries().get(key);
        if (node == null) {
            problems.add(at(top.line(), "missing '" + key + ":' (write '" + key + ": []' for none)"));
            return List.of();
        }
        if (!(node instanceof YamlNode.Sequence seq)) {
            problems.add(at(top.keyLines().get(key), "'" + key + ":' must be a list, found " + node.kind()));
            return List.of();
        }
        return seq.items();
    }

    private static YamlNode.Mapping mapping(YamlNode node, String what) throws Problem {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        throw new Problem(node.line(), what + " must be a mapping (key: value lines), found " + node.kind());
    }

    private void unknownKeys(YamlNode.Mapping m, Set<String> known, String context) {
        try {
            checkKeys(m, known, context);
        } catch (Problem p) {
            problems.add(p.getMessage());
        }
    }

    private static void checkKeys(YamlNode.Mapping m, Set<String> known, String context) throws Problem {
        for (var key : m.entries().keySet()) {
            if (!known.contains(key)) {
                throw new Problem(m.keyLines().get(key), (context.isEmpty() ? "" : context + ": ") + "unknown key '"
                        + Inventory.printable(key) + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(known))
                        + ")");
            }
        }
    }

    private static String requiredText(YamlNode.Mapping m, String key, String context) throws Problem {
        if (!m.entries().containsKey(key)) {
            throw new Problem(m.line(), context + ": missing '" + key + ":'");
        }
        return text(m, key, context);
    }

    private static String text(YamlNode.Mapping m, String key, String context) throws Problem {
        YamlNode node = m.entries().get(key);
        if (node instanceof YamlNode.Scalar s && !s.text().isEmpty()) {
            return s.text();
        }
        throw new Problem(m.keyLines().get(key), context + ": " + key + " must be a non-empty value, found "
                + node.kind());
    }

    private static boolean bool(YamlNode.Mapping m, String key, String context) throws Problem {
        YamlNode node = m.entries().get(key);
        if (node instanceof YamlNode.Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
            if (BOOLEAN_TRUE.contains(s.text())) {
                return true;
            }
            if (BOOLEAN_FALSE.contains(s.text())) {
                return false;
            }
        }
        throw new Problem(m.keyLines().get(key), context + ": " + key + " must be true or false, found "
                + (node instanceof YamlNode.Scalar s ? "'" + s.text() + "'" : node.kind()));
    }

    private static String at(int line, String message) {
        return line > 0 ? "line " + line + ": " + message : message;
    }

    /** A mistake in one entry; the entry is skipped and reading goes on with the next. */
    static final class Problem extends Exception {
        Problem(int line, String message) {
            super(at(line, message), null, false, false);
        }
    }
}
