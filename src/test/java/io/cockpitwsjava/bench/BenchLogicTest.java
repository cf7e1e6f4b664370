package io.cockpitwsjava.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

/** The benchmark's pure logic: settings parsing, summaries and the table, the sshd log parser. */
class BenchLogicTest {

    @Test
    void sourceAddressesAreARangeOrAListOfLoopbackAddresses() {
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), BenchConfig.sourceAddresses("127.0.0.2..127.0.0.4"));
        assertEquals(List.of("127.0.0.5", "127.1.0.1"), BenchConfig.sourceAddresses("127.0.0.5, 127.1.0.1"));
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.sourceAddresses("10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.sourceAddresses(""));
    }

    @Test
    void summaryIsTheMedianWithMinAndMax() {
        ResultTable.Summary odd = ResultTable.Summary.of(List.of(5.0, 1.0, 3.0));
        assertEquals(3.0, odd.median());
        assertEquals(1.0, odd.min());
        assertEquals(5.0, odd.max());
        assertEquals(2.5, ResultTable.Summary.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
    }

    @Test
    void tableShowsMedianRangeAndRatioToCockpitWs() {
        Map<String, List<Results>> runs = new LinkedHashMap<>();
        runs.put("ours-A", runs("ours-A", 100, 120, 110));
        runs.put("cockpit-ws", runs("cockpit-ws", 200, 220, 210));
        String table = ResultTable.render(List.of(new ResultTable.Row("m", "a metric", "ms", "≤ 0.5×"),
                new ResultTable.Row("absent", "never measured", "ms", "")), runs);
        String row = table.lines().filter(l -> l.startsWith("| a metric")).findFirst().orElseThrow();
        assertEquals(List.of("a metric", "ms", "110 (100–120)", "210 (200–220)", "0.52×", "≤ 0.5×"),
                List.of(row.substring(1, row.length() - 1).trim().split("\\s*\\|\\s*")), table);
        assertTrue(!table.contains("never measured"), table);
    }

    private static List<Results> runs(String label, double... values) {
        List<Results> rs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Results r = new Results(label, i + 1);
            r.put("m", values[i]);
            rs.add(r);
        }
        return rs;
    }

    @Test
    void negotiatedAlgorithmsAreCountedFromSshdDebugLines() {
        String log = """
                debug1: kex: algorithm: sntrup761x25519-sha512 [preauth]
                debug1: kex: host key algorithm: ssh-ed25519 [preauth]
                debug1: kex: client->server cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none [preauth]
                debug1: kex: server->client cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none [preauth]
                debug1: SELinux support disabled [preauth]
                debug1: kex: algorithm: sntrup761x25519-sha512 [preauth]
                """;
        Map<String, Integer> counts = new TreeMap<>();
        SshAlgorithms.count(log, counts);
        assertEquals(2, counts.get("kex sntrup761x25519-sha512"));
        assertEquals(1, counts.get("host key ssh-ed25519"));
        assertEquals(1, counts.get("client→server aes128-gcm@openssh.com MAC: <implicit>"));
        assertEquals(1, counts.get("server→client aes128-gcm@openssh.com MAC: <implicit>"));
        assertEquals(4, counts.size());
    }

    private static String event(String method, String params) {
        return "{\"message\":{\"method\":\"" + method + "\",\"params\":" + params + "},\"webview\":\"x\"}";
    }

    @Test
    void pageRequestsFromDevToolsNetworkEvents() {
        List<String> events = List.of(
                event("Network.requestWillBeSent", "{\"requestId\":\"1\",\"timestamp\":10.000,\"request\":{\"url\":\"http://h/a.js\"}}"),
                event("Network.responseReceived", "{\"requestId\":\"1\",\"timestamp\":10.010,\"response\":{\"status\":200,"
                        + "\"encodedDataLength\":300,\"headers\":{\"Content-Encoding\":\"gzip\",\"ETag\":\"\\\"t\\\"\","
                        + "\"cache-control\":\"private, no-cache\"}}}"),
                event("Network.dataReceived", "{\"requestId\":\"1\",\"timestamp\":10.011,\"dataLength\":5000,\"encodedDataLength\":700}"),
                event("Network.loadingFinished", "{\"requestId\":\"1\",\"timestamp\":10.020,\"encodedDataLength\":1000}"),
                // a redirect reuses the request id
                event("Network.requestWillBeSent", "{\"requestId\":\"2\",\"timestamp\":10.001,\"request\":{\"url\":\"http://h/r\"}}"),
                event("Network.requestWillBeSent", "{\"requestId\":\"2\",\"timestamp\":10.005,\"request\":{\"url\":\"http://h/b\"},"
                        + "\"redirectResponse\":{\"status\":302,\"encodedDataLength\":100,\"headers\":{}}}"),
                event("Network.requestServedFromCache", "{\"requestId\":\"2\"}"),
                event("Network.responseReceived", "{\"requestId\":\"2\",\"timestamp\":10.006,\"response\":{\"status\":200,"
                        + "\"fromDiskCache\":true,\"encodedDataLength\":0,\"headers\":{}}}"),
                event("Network.loadingFinished", "{\"requestId\":\"2\",\"timestamp\":10.007,\"encodedDataLength\":0}"),
                event("Network.requestWillBeSent", "{\"requestId\":\"3\",\"timestamp\":10.030,\"request\":{\"url\":\"data:font/woff2;base64,AA\"}}"),
                event("Network.loadingFailed", "{\"requestId\":\"3\",\"timestamp\":10.031,\"errorText\":\"net::ERR_ABORTED\"}"),
                "not json");
        PageRequests page = PageRequests.parse(events);
        List<PageRequests.Request> r = page.requests();
        assertEquals(List.of("/a.js", "/r", "/b", "data:…"), r.stream().map(PageRequests.Request::path).toList());
        assertEquals(new PageRequests.Request("/a.js", 200, false, 1000, 5000, "gzip", "private, no-cache", "\"t\"", 0, 20),
                roundTimes(r.get(0)));
        assertEquals(302, r.get(1).status());
        assertEquals(100, r.get(1).wireBytes());
        assertTrue(r.get(2).fromCache());
        assertEquals(-1, r.get(3).status());
        assertEquals("net::ERR_ABORTED", r.get(3).encoding());
        assertEquals(2, page.networkCount(), "data: URLs do not count");
        assertEquals(1, page.cachedCount());
        assertEquals(1100, page.wireBytes());
        assertTrue(page.table().contains("# 2 from the network (1100 bytes on the wire), 1 from the cache"), page.table());
    }

    @Test
    void browserTargetsTakeTurnsGoingFirst() {
        List<String> t = List.of("installed", "beiboot");
        assertEquals(List.of("installed", "beiboot"), BrowserPhase.order(t, 1));
        assertEquals(List.of("beiboot", "installed"), BrowserPhase.order(t, 2));
        assertEquals(List.of("installed", "beiboot"), BrowserPhase.order(t, 3));
        assertEquals(List.of("installed"), BrowserPhase.order(List.of("installed"), 2));
    }

    @Test
    void pageRequestsListWebSocketMessagesOnTheRequestClock() {
        List<String> events = List.of(
                event("Network.requestWillBeSent", "{\"requestId\":\"1\",\"timestamp\":100.000,\"wallTime\":1700000000.000,"
                        + "\"request\":{\"url\":\"http://h/\"}}"),
                event("Network.webSocketFrameReceived", "{\"requestId\":\"9\",\"timestamp\":100.250,"
                        + "\"response\":{\"opcode\":1,\"payloadData\":\"\\n{\\\"command\\\":\\\"init\\\"}\"}}"),
                event("Network.webSocketFrameSent", "{\"requestId\":\"9\",\"timestamp\":100.300,"
                        + "\"response\":{\"opcode\":1,\"payloadData\":\"" + "x".repeat(150) + "\"}}"));
        PageRequests page = PageRequests.parse(events);
        List<PageRequests.Frame> f = page.frames();
        assertEquals(2, f.size());
        assertEquals(250, Math.round(f.get(0).at()));
        assertFalse(f.get(0).sent());
        assertEquals("\\n{\"command\":\"init\"}", f.get(0).start(), "a newline is shown escaped, on one line");
        assertTrue(f.get(1).sent());
        assertEquals(150, f.get(1).length());
        assertEquals(101, f.get(1).start().length(), "long messages are cut to their start");
        assertEquals(400, Math.round(page.atWallClock(1700000000400.0)), "a page mark lands on the request clock");
        assertTrue(page.frameTable().contains("250.0\t<\t"), page.frameTable());
    }

    private static PageRequests.Request roundTimes(PageRequests.Request r) {
        return new PageRequests.Request(r.path(), r.status(), r.fromCache(), r.wireBytes(), r.bodyBytes(), r.encoding(),
                r.cacheControl(), r.etag(), Math.round(r.start()), Math.round(r.end()));
    }

    /** A socket whose sends are recorded, as the floor's {@link DirectBridge} gives one to Traffic. */
    private static BenchClient.Socket recordingSocket(List<String> sent) {
        return new BenchClient.Socket(new BenchClient.Socket.Link() {
            @Override
            public CompletionStage<?> sendText(String text) {
                sent.add(text);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void abort() {
            }
        }, "floor:");
    }

    private static void frame(ByteArrayOutputStream out, byte[] message) {
        out.writeBytes((message.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(message);
    }

    private static void frame(ByteArrayOutputStream out, String message) {
        frame(out, message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFloorsFramesAreDeliveredAsTextOrCountedAndPingsAnswered() throws Exception {
        List<String> sent = new ArrayList<>();
        BenchClient.Socket s = recordingSocket(sent);
        LongAdder counted = s.count("floor:2");
        ByteArrayOutputStream bridge = new ByteArrayOutputStream();
        frame(bridge, "\n{\"command\":\"init\",\"version\":1}");
        frame(bridge, "floor:1\nh\u00e9llo");
        byte[] data = new byte[200_000]; // more than one read of the reader's 64 KiB piece
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.writeBytes("floor:2\n".getBytes(StandardCharsets.US_ASCII));
        big.writeBytes(data);
        frame(bridge, big.toByteArray());
        frame(bridge, "\n{\"command\":\"ping\",\"channel\":\"floor:2\",\"sequence\":7}");
        frame(bridge, "\n{\"command\":\"close\",\"channel\":\"floor:2\"}");

        DirectBridge.relay(new ByteArrayInputStream(bridge.toByteArray()), s);

        assertEquals(200_000, counted.sum());
        Duration now = Duration.ofSeconds(1);
        assertEquals("\n{\"command\":\"init\",\"version\":1}", s.await(m -> true, now));
        assertEquals("floor:1\nh\u00e9llo", s.await(m -> true, now));
        // the ping was answered as cockpit.js does, not queued
        assertEquals("\n{\"command\":\"close\",\"channel\":\"floor:2\"}", s.await(m -> true, now));
        assertEquals(List.of("\n{\"command\":\"pong\",\"channel\":\"floor:2\",\"sequence\":7}"), sent);
        assertEquals("floor:3", s.channel(3));
    }

    @Test
    void theFloorRejectsBrokenFramesFromTheBridge() {
        BenchClient.Socket s = recordingSocket(new ArrayList<>());
        assertThrows(IOException.class, () -> DirectBridge.relay(
                new ByteArrayInputStream("12x\nfloor:1\nab".getBytes(StandardCharsets.US_ASCII)), s));
        assertThrows(EOFException.class, () -> DirectBridge.relay(
                new ByteArrayInputStream("20\nfloor:1\nab".getBytes(StandardCharsets.US_ASCII)), s));
        assertThrows(EOFException.class, () -> DirectBridge.relay(
                new ByteArrayInputStream("20".getBytes(StandardCharsets.US_ASCII)), s));
        s.count("floor:1");
        assertThrows(EOFException.class, () -> DirectBridge.relay(
                new ByteArrayInputStream("20\nfloor:1\nab".getBytes(StandardCharsets.US_ASCII)), s));
    }
}
