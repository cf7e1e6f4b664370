package io.cockpitwsjava.beiboot;

import java.util.ArrayList;
import java.util.List;

/**
 * Generates the stage-1 bootloader: the Python statement written to {@code python3 -ic} right after the exec channel
 * opens (docs/beiboot.md §3).
 *
 * <p>The text is one {@code try:} compound statement (interactive mode runs it when it reads the terminating empty
 * line), so it must not contain blank lines before its end. Every gadget returns {@code None}: in interactive mode a
 * non-None expression value would be printed to stdout and corrupt the frame stream. Gadgets report back only through
 * ferny frames on stderr.
 */
public final class Stage1Bootloader {

    /** The exec command; the login shell of the target parses it. */
    public static final String REMOTE_COMMAND = "python3 -ic '# cockpit-bridge'";

    /**
     * The name under which stage 1 executes the payload. The bridge finds its own compressed source under this
     * resource name when it beiboots its privileged copy, so it must be exactly this.
     */
    public static final String PAYLOAD_FILENAME = "cockpit/data/cockpit-bridge.beipack.xz";

    /** Exit status of the target interpreter after an unexpected exception in stage 1. */
    public static final int EXCEPTION_EXIT_STATUS = 37;

    private static final List<String> IMPORTS = List.of(
            "import lzma", "import os", "import sys", "import traceback");

    // Written with four-space indentation for readability; converted to TABs on output.
    private static final String GADGETS = """
            def command(name, *args):
                sys.stderr.write('\\0ferny\\0' + repr((name, args)) + '\\0\\0\\n')
                sys.stderr.flush()
            def end():
                command('ferny.end')
            def try_exec(argv):
                try:
                    os.execvp(argv[0], argv)
                except OSError:
                    pass
            def force_exec(argv):
                try:
                    os.execvp(argv[0], argv)
                except OSError as error:
                    command('cockpit.fail-no-cockpit', str(error))
            def check_os_release(_argv):
                try:
                    with open('/etc/os-release') as f:
                        text = f.read()
                except OSError:
                    text = ''
                command('cockpit.check-os-release', text)
            def report_exists(files):
                command('cockpit.report-exists', dict((name, os.path.exists(name)) for name in files))
            def boot_xz(filename, size, args=(), send_end=False):
                command('beiboot.provide', size)
                stdin = sys.stdin.buffer
                compressed = b''
                while len(compressed) < size:
                    chunk = stdin.read(size - len(compressed))
                    if not chunk:
                        raise EOFError('payload truncated after %d of %d bytes' % (len(compressed), size))
                    compressed += chunk
                source = lzma.decompress(compressed)
                sys.argv = [filename] + list(args)
                if send_end:
                    end()
                exec(source, {'__name__': '__main__', '__file__': filename, '__self_source__': compressed})
                sys.exit()
            """;

    private Stage1Bootloader() {
    }

    /**
     * The complete stage-1 text for a session bridge.
     *
     * @param mode        which steps to run (docs/beiboot.md §3.3)
     * @param reportFiles paths whose existence the target reports ({@code cockpit.report-exists})
     * @param payloadSize length of the compressed payload announced in {@code boot_xz}
     */
    public static String generate(RemoteBridgeMode mode, List<String> reportFiles, int payloadSize) {
        return generate(mode, reportFiles, payloadSize, List.of());
    }

    /**
     * Like {@link #generate(RemoteBridgeMode, List, int)} with extra bridge arguments ({@code --privileged}).
     */
    public static String generate(RemoteBridgeMode mode, List<String> reportFiles, int payloadSize,
                                  List<String> bridgeArgs) {
        if (payloadSize < 0) {
            throw new IllegalArgumentException("negative payload size");
        }
        List<String> bridge = List.of("cockpit-bridge");
        List<String> steps = new ArrayList<>();
        switch (mode) {
            case AUTO -> steps.add(step("try_exec", bridge));
            case NEVER -> { }
            case SUPPORTED -> {
                steps.add(step("try_exec", bridge));
                steps.add(step("check_os_release", List.of()));
            }
            case ALWAYS -> steps.add(step("force_exec", bridge));
        }
        steps.add(step("report_exists", List.copyOf(reportFiles)));
        steps.add(step("boot_xz", PAYLOAD_FILENAME, payloadSize, new PythonLiteral.Tuple(bridgeArgs)));

        StringBuilder out = new StringBuilder(4096);
        IMPORTS.forEach(line -> out.append(line).append('\n'));
        out.append("try:\n");
        for (String line : GADGETS.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            out.append(tabIndented(line, 1)).append('\n');
        }
        for (String step : steps) {
            out.append('\t').append(step).append('\n');
        }
        out.append("except SystemExit:\n")
                .append("\traise\n")
                .append("except BaseException:\n")
                .append("\tcommand('beiboot.exc', traceback.format_exc())\n")
                .append("\tsys.exit(").append(EXCEPTION_EXIT_STATUS).append(")\n")
                .append('\n');
        return out.toString();
    }

    /** A step call: the name plus the repr of the argument tuple. */
    private static String step(String name, Object... args) {
        return name + PythonLiteral.repr(new PythonLiteral.Tuple(args));
    }

    private static String tabIndented(String line, int baseLevel) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        if (spaces % 4 != 0) {
            throw new IllegalStateException("gadget indentation must be a multiple of four: " + line);
        }
        return "\t".repeat(baseLevel + spaces / 4) + line.substring(spaces);
    }
}
