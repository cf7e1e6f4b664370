package io.cockpitwsjava.signin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The users file of a gateway without an identity provider: one person per line,
 * {@code user:bcrypt-hash[:group,group,...]}, as {@code htpasswd -nB user} prints it plus optional groups. Blank
 * lines and lines starting with {@code #} are ignored.
 *
 * <p>Only bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}) are accepted: each has its own salt and a work
 * factor, so a leaked file costs an attacker real time per guess. A file with any bad line is refused as a whole,
 * with every problem and its line number, so a typo never silently drops or changes a person.
 */
public final class UsersFile {

    /** Bcrypt's cost is 2^cost rounds; htpasswd's default is 5, OWASP asks for 10 or more. */
    static final int MIN_COST = 4;
    static final int RECOMMENDED_COST = 10;
    /** bcrypt reads at most this many bytes of a password; longer ones are cut there, as by htpasswd and OpenBSD. */
    static final int BCRYPT_MAX_BYTES = 72;
    /** Longer inputs are refused before hashing: a sign-in form is no place for a megabyte. */
    static final int MAX_PASSWORD_CHARS = 1024;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Pattern NAME = Pattern.compile("[^\\s:,#][^\\s:,]{0,255}");
    private static final Pattern GROUP = Pattern.compile("[^\\s:,]{1,256}");

    /**
     * One person of the file.
     *
     * @param groups group names, matched by the access rules' {@code groups:} like an identity provider's groups
     */
    public record Entry(String user, String hash, Set<String> groups, int line) {
        public Entry {
            groups = Set.copyOf(groups);
        }

        @Override
        public String toString() {
            // never the hash: this may end up in a log line
            return "Entry[user=" + user + ", groups=" + groups + ", line=" + line + "]";
        }
    }

    private final Map<String, Entry> entries;
    private final List<String> warnings;
    /** Checked against when the user name is unknown, so both cases take the same time (no probing for names). */
    private final String decoy;

    private UsersFile(Map<String, Entry> entries, List<String> warnings, String decoy) {
        this.entries = entries;
        this.warnings = warnings;
        this.decoy = decoy;
    }

    /** Parses the file's text. */
    public static UsersFile parse(String text) throws InvalidUsersFileException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int maxCost = RECOMMENDED_COST;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(":", -1);
            if (fields.length < 2 || fields.length > 3) {
                problems.add("line " + no + ": expected user:bcrypt-hash or user:bcrypt-hash:group,group");
                continue;
            }
            String user = fields[0];
            if (!NAME.matcher(user).matches()) {
                problems.add("line " + no + ": user name must be 1-256 characters without whitespace, ':' or ','");
                continue;
            }
            Matcher hash = BCRYPT.matcher(fields[1]);
            if (!hash.matches()) {
                // the field itself is not repeated: it may be a password typed into the wrong place
                problems.add("line " + no + " (" + user + "): not a bcrypt hash ($2y$..., as htpasswd -B makes)");
                continue;
            }
            int cost = Integer.parseInt(hash.group(1));
            if (cost < MIN_COST || cost > 31) {
                problems.add("line " + no + " (" + user + "): bcrypt cost " + cost + " is outside " + MIN_COST + "..31");
                continue;
            }
            if (cost < RECOMMENDED_COST) {
                warnings.add("line " + no + " (" + user + "): bcrypt cost " + cost + " is low; use "
                        + RECOMMENDED_COST + " or more (htpasswd -B -C " + RECOMMENDED_COST + ")");
            }
            maxCost = Math.max(maxCost, cost);
            Set<String> groups = new LinkedHashSet<>();
            if (fields.length == 3 && !fields[2].isEmpty()) {
                boolean bad = false;
                for (String g : fields[2].split(",", -1)) {
                    if (!GROUP.matcher(g).matches()) {
                        bad = true;
                    }
                    groups.add(g);
                }
                if (bad) {
                    problems.add("line " + no + " (" + user + "): groups must be a comma-separated list of names "
                            + "without whitespace or ':'");
                    continue;
                }
            }
            Entry previous = entries.putIfAbsent(user, new Entry(user, fields[1], groups, no));
            if (previous != null) {
                problems.add("line " + no + ": user " + user + " is already defined on line " + previous.line());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidUsersFileException(problems);
        }
        return new UsersFile(Map.copyOf(entries), List.copyOf(warnings), decoyHash(maxCost));
    }

    /** The person this user name and password identify, if the password is right. Takes bcrypt's time either way. */
    public Optional<Entry> check(String user, char[] password) {
        if (password.length > MAX_PASSWORD_CHARS) {
            return Optional.empty();
        }
        byte[] bytes = bcryptInput(password);
        try {
            Entry entry = user == null ? null : entries.get(user);
            boolean ok = OpenBSDBCrypt.checkPassword(entry != null ? entry.hash() : decoy, bytes);
            return ok && entry != null ? Optional.of(entry) : Optional.empty();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The entry of a user name (for a sign-in that is already established: groups may have changed). */
    public Optional<Entry> find(String user) {
        return Optional.ofNullable(entries.get(user));
    }

    public int size() {
        return entries.size();
    }

    /** Lines that are accepted but should be improved (weak cost). */
    public List<String> warnings() {
        return warnings;
    }

    /** UTF-8, cut at bcrypt's 72 bytes like every other bcrypt implementation does. */
    static byte[] bcryptInput(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] cut = new byte[Math.min(buffer.remaining(), BCRYPT_MAX_BYTES)];
        buffer.get(cut);
        Arrays.fill(buffer.array(), (byte) 0);
        return cut;
    }

    private static String decoyHash(int cost) {
        byte[] salt = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(salt);
        byte[] password = new byte[16];
        random.nextBytes(password);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }
}
