package io.cockpitwsjava.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The status command: the one command the prober's certificates allow ({@code force-command}). sshd runs it with the
 * probe user's login shell, whatever the client asks for. It runs the Python script {@code status.py} when
 * {@code python3} is found, else {@code status.sh}, which uses shell built-ins only, so it works even with an empty
 * {@code PATH}. Both print the lines {@link StatusParser} reads.
 *
 * <p>The client's request is not executed, but sshd passes it in {@code SSH_ORIGINAL_COMMAND}: the script compares it
 * with {@link #REQUEST_WITH_UPDATES} (and nothing else) to decide whether to count pending updates, which is slower.
 */
public final class StatusCommand {

    /** What the prober asks for on a plain run (informational: the forced command runs anyway). */
    public static final String REQUEST = "cockpit-probe";
    /** What the prober asks for when it also wants the number of pending updates. */
    public static final String REQUEST_WITH_UPDATES = "cockpit-probe updates";

    private static final String TEXT = build();

    private StatusCommand() {
    }

    /** The forced command: one line for a POSIX login shell (sh, bash, dash, zsh, ksh). */
    public static String text() {
        return TEXT;
    }

    private static String build() {
        // base64 keeps the script free of quotes and newlines; the fallback is already one line per statement
        String python = Base64.getEncoder().encodeToString(resource("status.py").getBytes(StandardCharsets.UTF_8));
        String sh = String.join(" ", resource("status.sh").strip().split("\n"));
        return "command -v python3 >/dev/null 2>&1 && exec python3 -c 'import base64;exec(base64.b64decode(\""
                + python + "\"))'; " + sh;
    }

    private static String resource(String name) {
        try (InputStream in = StatusCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
