package io.cockpitwsjava.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The exchanges every phase and the soak are built from: a login to an sshd target, echo round trips, a stream read
 * to its close, logout. Anything unexpected — a wrong echo, a short or stalled stream, a socket that does not close
 * on logout, a target that keeps session processes — throws, so a broken run can never pass as a slow one.
 */
final class Traffic {
    /** A stream that makes no progress for this long is a stall. */
    static final Duration STALL = Duration.ofSeconds(30);

    private Traffic() {
    }

    /** Login, WebSocket and init exchange. */
    static BenchClient.Socket session(BenchClient client, Target t) throws InterruptedException {
        return client.socket(t.app(), client.login(t.app(), t.authorization()));
    }

    /** Opens echo channel {@code n} and waits for its {@code ready}; returns the channel id. */
    static String openEcho(BenchClient.Socket s, int n) throws InterruptedException {
        String ch = s.channel(n);
        s.send("\n{\"command\":\"open\",\"channel\":\"" + ch + "\",\"payload\":\"echo\",\"flow-control\":true}");
        awaitControl(s, ch, "ready");
        return ch;
    }

    /**
     * Closes a channel as cockpit.js does: the close is sent and the channel is done (neither gateway passes a
     * reply to a close the page sent).
     */
    static void closeChannel(BenchClient.Socket s, String ch) {
        s.send("\n{\"command\":\"close\",\"channel\":\"" + ch + "\"}");
        s.forget(ch);
    }

    /** The next control message {@code command} for {@code ch}; a {@code close} with a problem instead fails. */
    static String awaitControl(BenchClient.Socket s, String ch, String command) throws InterruptedException {
        String m = s.await(t -> t.startsWith("\n") && t.contains("\"" + ch + "\"")
                && (t.contains("\"" + command + "\"") || t.contains("\"close\"")), BenchClient.WAIT);
        if (!m.contains("\"" + command + "\"") || m.contains("\"problem\"")) {
            throw new IllegalStateException("channel " + ch + ": expected " + command + ", got " + m.strip());
        }
        return m;
    }

    /**
     * {@code count} sequential round trips of a ~50-byte text message on echo channel {@code ch}; returns each
     * round trip in µs (send → arrival of the reply in the client's event loop). A differing reply fails.
     */
    static List<Double> echo(BenchClient.Socket s, String ch, int count, String tag) throws InterruptedException {
        String prefix = ch + "\n";
        List<Double> micros = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String msg = prefix + tag + " echo round trip " + i + " abcdefghijklmnopqrstuvwxyz";
            long t0 = System.nanoTime();
            s.send(msg);
            BenchClient.Received back = s.awaitTimed(m -> m.startsWith(prefix), BenchClient.WAIT);
            if (!back.text().equals(msg)) {
                throw new IllegalStateException("echo on " + ch + ": sent '" + msg.replace("\n", "\\n") + "', got '"
                        + back.text().replace("\n", "\\n") + "'");
            }
            micros.add((back.nanos() - t0) / 1e3);
        }
        return micros;
    }

    /** A stream's size, duration and the CPU each party used for it. */
    record StreamResult(long bytes, double seconds, CpuSnapshot cpu) {
        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    /**
     * Reads {@code head -c bytes /dev/zero} on stream channel {@code n} to its close, answering flow-control pings;
     * fails on a stall ({@link #STALL} without data; a thread dump of our gateway is written), on a close with a
     * problem, or when the byte count differs. {@code gateway} null: no gateway ({@link DirectBridge}).
     */
    static StreamResult stream(BenchClient.Socket s, int n, long bytes, GatewayProcess gateway, HeapProbe heap,
            Target target) throws Exception {
        String ch = s.channel(n);
        LongAdder received = s.count(ch);
        CpuSnapshot before = CpuSnapshot.take(gateway, target);
        long t0 = System.nanoTime();
        s.send("\n{\"command\":\"open\",\"channel\":\"" + ch + "\",\"payload\":\"stream\",\"spawn\":[\"/usr/bin/head\",\"-c\",\""
                + bytes + "\",\"/dev/zero\"],\"binary\":\"raw\",\"flow-control\":true}");
        String close = awaitStreamEnd(s, ch, received, gateway, heap);
        long t1 = System.nanoTime();
        CpuSnapshot used = CpuSnapshot.take(gateway, target).since(before);
        s.forget(ch);
        JsonNode c = BenchClient.JSON.readTree(close.substring(1));
        if (c.has("problem")) {
            throw new IllegalStateException("stream on " + ch + " closed with problem " + c.get("problem").asText());
        }
        if (received.sum() != bytes) {
            throw new IllegalStateException("stream on " + ch + ": received " + received.sum() + " of " + bytes + " bytes");
        }
        return new StreamResult(bytes, (t1 - t0) / 1e9, used);
    }

    private static String awaitStreamEnd(BenchClient.Socket s, String ch, LongAdder received, GatewayProcess gateway,
            HeapProbe heap) throws Exception {
        long last = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                return s.await(m -> m.startsWith("\n") && m.contains("\"close\"") && m.contains("\"" + ch + "\""),
                        Duration.ofSeconds(1));
            } catch (IllegalStateException notYet) {
                if (s.isClosed()) {
                    throw new IllegalStateException("socket closed (" + s.closeCode() + ") during the stream on " + ch
                            + " after " + received.sum() + " bytes");
                }
                long now = received.sum();
                if (now != last) {
                    last = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    String dump = gateway != null && gateway.isJvm() && heap != null
                            ? "; thread dump: " + heap.threadDump(gateway.pid(), gateway.log()) : "";
                    throw new IllegalStateException("stream on " + ch + " STALLED: no data for " + STALL + " after "
                            + now + " bytes, no close" + dump);
                }
            }
        }
    }

    /** cockpit.logout(); fails unless the gateway closes the socket within 20 s. */
    static void logout(BenchClient.Socket s) {
        if (s.logout(Duration.ofSeconds(20)) == null) {
            throw new IllegalStateException("logout: socket not closed by the gateway within 20 s");
        }
    }
}
