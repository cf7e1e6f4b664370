package io.cockpitwsjava.beiboot;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.cockpitwsjava.protocol.Problem;

/**
 * The decisions of one bridge start, from exec command to the bridge's {@code init} (docs/beiboot.md §1, §4.3, §12).
 *
 * <p>Pure state machine without I/O: the transport writes {@link #stage1()} to stdin, feeds stderr through a
 * {@link FernyStderrParser} into {@link #onCommand}, carries out the returned {@link Decision}, and if the process
 * ends before {@code init} asks {@link #onExitBeforeInit} for the failure. Not thread-safe; call from one thread or
 * synchronise.
 */
public final class BootSequence {

    /** What the transport must do after a ferny command. */
    public sealed interface Decision {
        /** Write exactly these bytes to stdin, nothing before or after. */
        record SendPayload(byte[] bytes) implements Decision {
        }

        /** Write nothing more, close the channel, fail the login with this problem. */
        record Abort(BootFailure failure) implements Decision {
        }

        /** Nothing to do. */
        record Continue() implements Decision {
        }
    }

    private static final Logger LOG = Logger.getLogger(BootSequence.class);
    private static final Decision CONTINUE = new Decision.Continue();
    private static final int MAX_MESSAGE_CHARS = 4096;

    private final RemoteBridgeMode mode;
    private final BeipackPayload payload;
    private final List<String> reportFiles;
    private final OsSupportPolicy policy;

    private Map<String, Boolean> existingFiles;
    private boolean payloadSent;
    /** {@link System#nanoTime()} of the payload request (0 = none yet): where the login's time went. */
    private long payloadRequestedAt;
    private BootFailure failure;

    public BootSequence(RemoteBridgeMode mode, BeipackPayload payload, List<String> reportFiles, OsSupportPolicy policy) {
        this.mode = mode;
        this.payload = payload;
        this.reportFiles = List.copyOf(reportFiles);
        this.policy = policy;
    }

    /** The exec command for the SSH channel. */
    public String remoteCommand() {
        return Stage1Bootloader.REMOTE_COMMAND;
    }

    /** Stage 1, to be written to stdin as soon as the channel is open (UTF-8; in fact ASCII). */
    public byte[] stage1() {
        return Stage1Bootloader.generate(mode, reportFiles, payload.size()).getBytes(StandardCharsets.UTF_8);
    }

    /** Handles one ferny command from stderr. After an abort every further command is ignored. */
    public Decision onCommand(String name, List<Object> args) {
        if (failure != null) {
            return CONTINUE;
        }
        Decision decision = switch (name) {
            case "beiboot.provide" -> provide(args);
            case "beiboot.exc" -> abort(BootFailure.of(Problem.INTERNAL_ERROR,
                    "Remote exception: " + firstString(args).orElse("(no traceback)")));
            case "cockpit.fail-no-cockpit" -> abort(BootFailure.of(Problem.NO_COCKPIT,
                    firstString(args).orElse(null)));
            case "cockpit.check-os-release" -> checkOsRelease(args);
            case "cockpit.report-exists" -> reportExists(args);
            case "ferny.end" -> CONTINUE;
            default -> {
                LOG.debugf("ignoring ferny command %s", name);
                yield CONTINUE;
            }
        };
        return decision;
    }

    /** Whether the target runs our payload (it reported file existence) rather than an installed bridge. */
    public boolean beibootMode() {
        return existingFiles != null;
    }

    /** The existence map from {@code cockpit.report-exists}; empty before it arrived. */
    public Map<String, Boolean> existingFiles() {
        return existingFiles == null ? Map.of() : existingFiles;
    }

    /** {@link System#nanoTime()} when the target asked for the payload; 0 if it has not (installed bridge). */
    public long payloadRequestedAt() {
        return payloadRequestedAt;
    }

    /** The abort decided earlier, if any. */
    public Optional<BootFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The failure for a process that ended before the bridge's {@code init}.
     *
     * @param exitStatus exit status, or {@code null} if unknown or killed by a signal
     * @param signal     the signal name, or {@code null}
     * @param stderrTail the parser's text tail
     */
    public BootFailure onExitBeforeInit(Integer exitStatus, String signal, String stderrTail) {
        if (failure != null) {
            return failure;
        }
        String tail = stderrTail == null ? "" : stderrTail;
        String message = cleanMessage(tail);
        Integer status = signal == null ? exitStatus : null;
        if (status != null && status == 127
                || tail.contains("command not found") || tail.contains("python3: not found")) {
            return BootFailure.of(Problem.NO_COCKPIT, "python3 is not available on the target");
        }
        if (tail.contains("This account is currently not available")
                || (status != null && status == 1 && !tail.contains(">>>"))) {
            // the login shell refused us (nologin, false) before python ever started
            return BootFailure.of(Problem.ACCESS_DENIED, message.isEmpty() ? null : message);
        }
        if (status != null && status == Stage1Bootloader.EXCEPTION_EXIT_STATUS) {
            return BootFailure.of(Problem.INTERNAL_ERROR, "Remote exception: " + message);
        }
        if (message.isEmpty()) {
            message = signal != null ? "bridge killed by signal " + signal
                    : "bridge exited with status " + exitStatus + " before init";
        }
        return BootFailure.of(Problem.TERMINATED, message);
    }

    private Decision provide(List<Object> args) {
        if (args.size() != 1 || !(args.get(0) instanceof Long size)) {
            return abort(BootFailure.of(Problem.INTERNAL_ERROR, "invalid beiboot.provide request " + args));
        }
        if (size != payload.size()) {
            return abort(BootFailure.of(Problem.INTERNAL_ERROR, "target requested " + size
                    + " payload bytes, but the payload has " + payload.size()));
        }
        if (payloadSent) {
            return abort(BootFailure.of(Problem.INTERNAL_ERROR, "target requested the payload twice"));
        }
        payloadSent = true;
        payloadRequestedAt = System.nanoTime();
        return new Decision.SendPayload(payload.bytes());
    }

    private Decision checkOsRelease(List<Object> args) {
        Optional<String> text = firstString(args);
        if (text.isEmpty()) {
            return abort(BootFailure.of(Problem.INTERNAL_ERROR, "invalid cockpit.check-os-release " + args));
        }
        Optional<String> refusal = policy.refusal(text.get());
        if (refusal.isPresent()) {
            return abort(new BootFailure(Problem.NO_COCKPIT, null, Map.of("unsupported", refusal.get())));
        }
        return CONTINUE;
    }

    private Decision reportExists(List<Object> args) {
        if (args.size() != 1 || !(args.get(0) instanceof Map<?, ?> map)) {
            LOG.debugf("ignoring malformed cockpit.report-exists %s", args);
            return CONTINUE;
        }
        Map<String, Boolean> files = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() instanceof String path && e.getValue() instanceof Boolean exists) {
                files.put(path, exists);
            }
        }
        existingFiles = Collections.unmodifiableMap(files);
        return CONTINUE;
    }

    private Decision abort(BootFailure f) {
        failure = f;
        return new Decision.Abort(f);
    }

    private static Optional<String> firstString(List<Object> args) {
        return !args.isEmpty() && args.get(0) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The stderr tail without the interpreter's prompts, shortened to its end. */
    static String cleanMessage(String tail) {
        StringBuilder out = new StringBuilder();
        for (String line : tail.split("\n", -1)) {
            String rest = line;
            while (rest.startsWith(">>> ") || rest.startsWith("... ")) {
                rest = rest.substring(4);
            }
            if (!rest.equals(">>>") && !rest.equals("...")) {
                out.append(rest).append('\n');
            }
        }
        String message = out.toString().strip();
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(message.length() - MAX_MESSAGE_CHARS) : message;
    }
}
