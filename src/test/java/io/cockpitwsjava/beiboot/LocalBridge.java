package io.cockpitwsjava.beiboot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test transport: runs the remote command as a local process and drives a {@link BootSequence} like the SSH
 * transport will (stage 1 on stdin, stderr through the ferny parser, payload on request). Also reads Cockpit frames
 * ({@code <len>\n<channel>\n<payload>}) from stdout — a deliberately tiny decoder, independent of the protocol package.
 */
final class LocalBridge implements AutoCloseable {

    /** Generous bound so a broken boot fails the test instead of hanging it. */
    static final long TIMEOUT_SECONDS = 60;

    record Frame(String channel, String payload) {
    }

    private final Process process;
    private final BootSequence sequence;
    private final FernyStderrParser parser;
    private final OutputStream stdin;
    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private volatile BootFailure abort;
    private int writeFailures;
    private volatile int payloadsSent;
    private final Thread stderrThread;
    private final Thread stdoutThread;
    private static final Object EOF = new Object();

    LocalBridge(List<String> argv, Map<String, String> env, BootSequence sequence) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(env);
        this.process = builder.start();
        this.sequence = sequence;
        this.stdin = process.getOutputStream();
        this.parser = new FernyStderrParser(this::onCommand);
        this.stderrThread = Thread.ofPlatform().daemon().name("stderr").start(this::pumpStderr);
        this.stdoutThread = Thread.ofPlatform().daemon().name("stdout").start(this::pumpStdout);
        write(sequence.stage1());
    }

    static Map<String, String> env(Path pathDir, Path home) {
        return Map.of("PATH", pathDir.toString(), "HOME", home.toString(), "LANG", "C.UTF-8");
    }

    private void onCommand(String name, List<Object> args) {
        commands.add(name);
        BootSequence.Decision decision;
        synchronized (sequence) {
            decision = sequence.onCommand(name, args);
        }
        switch (decision) {
            case BootSequence.Decision.SendPayload send -> {
                payloadsSent++;
                write(send.bytes());
            }
            case BootSequence.Decision.Abort a -> {
                abort = a.failure();
                process.destroy();
            }
            case BootSequence.Decision.Continue c -> { }
        }
    }

    private synchronized void write(byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.flush();
        } catch (IOException e) {
            // the process is gone (e.g. python3 missing); its exit status tells why
            writeFailures++;
        }
    }

    void send(String channel, String payload) {
        byte[] body = (channel + "\n" + payload).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes((body.length + "\n").getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(body);
        write(frame.toByteArray());
    }

    void control(String json) {
        send("", json);
    }

    /** The next stdout frame, or null at EOF; fails after the timeout. */
    Frame nextFrame() throws InterruptedException {
        Object item = frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (item == null) {
            throw new AssertionError("no frame from the bridge; commands " + commands + "; stderr: " + stderrTail());
        }
        return item == EOF ? null : (Frame) item;
    }

    /** Called when init arrived: stderr is log text from now on. */
    void initReceived() {
        synchronized (parser) {
            parser.stopCommands();
        }
    }

    int waitForExit() throws InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("process did not exit; stderr: " + stderrTail());
        }
        stderrThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return process.exitValue();
    }

    int payloadsSent() {
        return payloadsSent;
    }

    BootFailure abort() {
        return abort;
    }

    List<String> commands() {
        return List.copyOf(commands);
    }

    String stderrTail() {
        synchronized (parser) {
            return parser.textTail();
        }
    }

    private void pumpStderr() {
        byte[] buffer = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buffer)) > 0) {
                synchronized (parser) {
                    parser.feed(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // process gone
        }
        synchronized (parser) {
            parser.finish();
        }
    }

    private void pumpStdout() {
        try (InputStream out = process.getInputStream()) {
            while (true) {
                StringBuilder length = new StringBuilder();
                int c;
                while ((c = out.read()) != '\n') {
                    if (c < 0) {
                        return;
                    }
                    if (c < '0' || c > '9' || length.length() > 8) {
                        frames.add(new Frame("<garbage>", String.valueOf((char) c)));
                        return;
                    }
                    length.append((char) c);
                }
                byte[] body = out.readNBytes(Integer.parseInt(length.toString()));
                String text = new String(body, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                frames.add(new Frame(text.substring(0, nl), text.substring(nl + 1)));
            }
        } catch (IOException e) {
            // process gone
        } finally {
            frames.add(EOF);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
