package io.cockpitwsjava.fleet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the status command's output. The VM chooses every byte, so everything is bounded: the caller stops reading at
 * a byte limit, lines are short, lists are capped, numbers must match a strict pattern and a sane range, and text
 * loses control characters. One pass, no backtracking patterns, no recursion.
 *
 * <p>The format: UTF-8 lines {@code key value}, first {@code cockpit-probe 1}, last {@code end} (a run cut short has
 * no end and is refused). Keys: {@code os}, {@code kernel}, {@code uptime} (seconds, decimal), {@code load} (three
 * decimals), {@code memory} (total and available kB), {@code systemd yes} (systemd answered; then {@code failed
 * <unit>} lines follow), {@code updates} (a count). Unknown keys are skipped, so later scripts may add some.
 */
public final class StatusParser {

    /** Longest line read, in characters. */
    public static final int MAX_LINE = 1024;
    /** Failed units listed; more are dropped. */
    public static final int MAX_UNITS = 100;
    /** Longest text kept for {@code os} and each unit name; longer is cut. */
    public static final int MAX_TEXT = 256;
    static final String HEADER = "cockpit-probe 1";

    private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    private static final Pattern LOAD = Pattern.compile("\\d{1,7}(\\.\\d{1,6})? \\d{1,7}(\\.\\d{1,6})? \\d{1,7}(\\.\\d{1,6})?");
    private static final Pattern MEMORY = Pattern.compile("\\d{1,13} \\d{1,13}");
    private static final Pattern COUNT = Pattern.compile("\\d{1,7}");

    private StatusParser() {
    }

    /**
     * @param output     what the command printed on stdout (the caller has already bounded it)
     * @param exitStatus its exit status, if sshd sent one
     */
    public static StatusReport parse(byte[] output, OptionalInt exitStatus) throws ProbeFailure {
        if (exitStatus.isPresent() && exitStatus.getAsInt() != 0) {
            throw bad("the status command exited with " + exitStatus.getAsInt());
        }
        String text = decode(output);
        if (!text.endsWith("\n")) {
            throw bad(text.isEmpty() ? "the status command printed nothing" : "the status output ends mid-line");
        }
        Optional<String> os = Optional.empty();
        Optional<String> kernel = Optional.empty();
        OptionalLong uptime = OptionalLong.empty();
        Optional<StatusReport.Load> load = Optional.empty();
        Optional<StatusReport.Memory> memory = Optional.empty();
        List<String> failed = null;
        OptionalInt updates = OptionalInt.empty();
        Set<String> seen = new HashSet<>();
        boolean ended = false;
        int lineNo = 0;
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            String line = text.substring(start, nl);
            start = nl + 1;
            lineNo++;
            if (line.length() > MAX_LINE) {
                throw bad("line " + lineNo + " of the status output is longer than " + MAX_LINE + " characters");
            }
            if (ended) {
                throw bad("the status output goes on after its end line");
            }
            if (lineNo == 1) {
                if (!line.equals(HEADER)) {
                    throw bad("the status output does not start with '" + HEADER + "'");
                }
                continue;
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            if (!key.equals("failed") && !key.equals("end") && !seen.add(key)) {
                throw bad("'" + printable(key, 20) + "' appears twice in the status output");
            }
            switch (key) {
                case "end" -> ended = true;
                case "os" -> os = Optional.of(text(value)).filter(v -> !v.isEmpty());
                case "kernel" -> kernel = Optional.of(text(value)).filter(v -> !v.isEmpty());
                case "uptime" -> uptime = OptionalLong.of((long) number(DECIMAL, value, key));
                case "load" -> {
                    String[] p = matched(LOAD, value, key).split(" ");
                    load = Optional.of(new StatusReport.Load(Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                            Double.parseDouble(p[2])));
                }
                case "memory" -> {
                    String[] p = matched(MEMORY, value, key).split(" ");
                    memory = Optional.of(new StatusReport.Memory(Long.parseLong(p[0]) * 1024,
                            Long.parseLong(p[1]) * 1024));
                }
                case "systemd" -> {
                    if (!value.equals("yes")) {
                        throw bad("unexpected value of 'systemd' in the status output");
                    }
                    failed = new ArrayList<>();
                }
                case "failed" -> {
                    if (failed == null) {
                        throw bad("failed units without 'systemd yes' in the status output");
                    }
                    if (failed.size() < MAX_UNITS && !value.isEmpty()) {
                        failed.add(text(value));
                    }
                }
                case "updates" -> updates = OptionalInt.of((int) number(COUNT, value, key));
                default -> {
                    // a newer script's key: skipped
                }
            }
        }
        if (!ended) {
            throw bad("the status output has no end line (cut short?)");
        }
        return new StatusReport(os, kernel, uptime, load, memory, Optional.ofNullable(failed), updates);
    }

    /** Strict UTF-8 is not demanded (a VM's PRETTY_NAME may be Latin-1); bad bytes become U+FFFD. */
    private static String decode(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return d.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }

    private static String matched(Pattern p, String value, String key) throws ProbeFailure {
        if (value.length() > 64 || !p.matcher(value).matches()) {
            throw bad("'" + key + "' in the status output is not a valid value");
        }
        return value;
    }

    private static double number(Pattern p, String value, String key) throws ProbeFailure {
        return Double.parseDouble(matched(p, value, key));
    }

    /**
     * Text as shown to people: control and format characters (including bidirectional overrides and line
     * separators) become U+FFFD, cut at {@link #MAX_TEXT} code points.
     */
    static String text(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_TEXT));
        int count = 0;
        for (int i = 0; i < value.length() && count < MAX_TEXT; count++) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean hidden = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
            b.appendCodePoint(hidden ? 0xFFFD : cp);
        }
        return b.toString().strip();
    }

    /** A few characters of VM output, safe for a message. */
    private static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(max).forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : "?"));
        return b.toString();
    }

    private static ProbeFailure bad(String message) {
        return new ProbeFailure(ProbeProblem.BAD_OUTPUT, message);
    }
}
