package io.cockpitwsjava.fleet;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;

/**
 * One run of the status command on an open session: an exec channel whose output is collected up to a byte limit, a
 * deadline, and exactly one result. Never blocks: MINA's I/O threads deliver the output, the timer the deadline.
 * Output beyond the limit (stdout or stderr) or a missed deadline closes the channel at once.
 */
final class StatusRun {

    private final ChannelExec channel;
    private final Bounded out;
    private final Bounded err;
    private final CompletableFuture<StatusReport> result = new CompletableFuture<>();
    private ScheduledFuture<?> deadline;

    private StatusRun(ChannelExec channel, int maxBytes) {
        this.channel = channel;
        this.out = new Bounded(maxBytes, "stdout", true);
        // stderr is only counted: a flood there must end the run too
        this.err = new Bounded(maxBytes, "stderr", false);
    }

    /**
     * Starts {@code request} (sshd runs the certificate's forced command instead) and completes with the parsed
     * status or a {@link ProbeFailure}.
     */
    static CompletableFuture<StatusReport> start(ClientSession session, String request, int maxBytes, Duration timeout,
            ScheduledExecutorService timer) {
        ChannelExec ch;
        try {
            ch = session.createExecChannel(request);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new ProbeFailure(ProbeProblem.CLOSED,
                    "cannot open a channel: " + e.getClass().getSimpleName()));
        }
        StatusRun run = new StatusRun(ch, maxBytes);
        ch.setOut(run.out);
        ch.setErr(run.err);
        ch.setRedirectErrorStream(false);
        run.deadline = timer.schedule(() -> run.fail(new ProbeFailure(ProbeProblem.TIMEOUT,
                "the status command did not finish within " + timeout.toSeconds() + " s")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        ch.addCloseFutureListener(closed -> run.closed());
        try {
            ch.open().addListener(opened -> {
                if (!opened.isOpened()) {
                    run.fail(new ProbeFailure(ProbeProblem.CLOSED, "the host refused a channel"));
                }
            });
        } catch (Exception e) {
            run.fail(new ProbeFailure(ProbeProblem.CLOSED, "cannot open a channel: " + e.getClass().getSimpleName()));
        }
        return run.result;
    }

    private void closed() {
        if (result.isDone()) {
            return;
        }
        if (out.over || err.over) {
            fail(new ProbeFailure(ProbeProblem.OUTPUT_TOO_LARGE, "the status command printed more than "
                    + out.max + " bytes on " + (out.over ? out.name : err.name)));
            return;
        }
        Integer exit = channel.getExitStatus();
        try {
            StatusReport r = StatusParser.parse(out.bytes(), exit == null ? OptionalInt.empty() : OptionalInt.of(exit));
            deadline.cancel(false);
            result.complete(r);
        } catch (ProbeFailure e) {
            fail(e);
        }
    }

    private void fail(ProbeFailure f) {
        if (result.completeExceptionally(f)) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            channel.close(true);
        }
    }

    /** Counts bytes, keeps them if asked, and ends the run at the first byte beyond {@code max}. */
    private final class Bounded extends OutputStream {
        final int max;
        final String name;
        private final boolean keep;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        private long count;
        volatile boolean over;

        Bounded(int max, String name, boolean keep) {
            this.max = max;
            this.name = name;
            this.keep = keep;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (over) {
                return;
            }
            count += len;
            if (count > max) {
                over = true;
                buf.reset();
                // the result is decided: stop the VM from sending more
                channel.close(true);
                return;
            }
            if (keep) {
                buf.write(b, off, len);
            }
        }

        synchronized byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
