package io.cockpitwsjava.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cockpitwsjava.audit.AuditEvent.ChannelKind;
import io.cockpitwsjava.audit.AuditEvent.SignInMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant AT = Instant.parse("2026-05-06T07:08:09.123456Z");
    static final SessionTag TAG = new SessionTag("0123456789abcdef");

    /** Collects lines in memory. */
    static final class Lines implements AuditSink {
        final List<String> lines = new ArrayList<>();

        @Override
        public void write(String line) {
            lines.add(line);
        }

        @Override
        public void close() {
        }
    }

    /** Records one event and returns its line parsed, checking what every line has. */
    static JsonNode recorded(AuditEvent event) throws IOException {
        Lines sink = new Lines();
        new AuditLog(List.of(sink), Clock.fixed(AT, ZoneOffset.ofHours(5))).record(event);
        assertEquals(1, sink.lines.size());
        String line = sink.lines.get(0);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "plain printable ASCII: " + line);
        JsonNode node = JSON.readTree(line);
        assertEquals("2026-05-06T07:08:09.123Z", node.get("ts").asText(), "UTC, milliseconds");
        assertEquals(event.type(), node.get("event").asText());
        return node;
    }

    static Map<String, String> fields(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }

    @Test
    void signIn() throws IOException {
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "sign-in", "outcome", "success",
                "method", "oidc", "identity", "alice", "client", "192.0.2.7"),
                fields(recorded(new AuditEvent.SignIn(Outcome.SUCCESS, SignInMethod.OIDC, "alice", "192.0.2.7", null))));
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "sign-in", "outcome", "failure",
                "method", "password", "identity", "mallory", "client", "::1", "problem", "authentication-failed"),
                fields(recorded(new AuditEvent.SignIn(Outcome.FAILURE, SignInMethod.PASSWORD, "mallory", "::1",
                        "authentication-failed"))));
        assertEquals("bearer", recorded(new AuditEvent.SignIn(Outcome.FAILURE, SignInMethod.BEARER, null, null,
                "access-denied")).get("method").asText());
    }

    @Test
    void signOut() throws IOException {
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "sign-out", "identity", "alice",
                "client", "192.0.2.7"), fields(recorded(new AuditEvent.SignOut("alice", "192.0.2.7"))));
    }

    @Test
    void hostLogin() throws IOException {
        long serial = -2L; // 2^64 - 2: sshd prints serials unsigned
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "host-login", "outcome", "success",
                "identity", "alice", "host", "web-1", "ssh_user", "cloud-user", "cert_serial", "18446744073709551614",
                "rule", "1", "client", "192.0.2.7", "session", "0123456789abcdef"),
                fields(recorded(new AuditEvent.HostLogin(Outcome.SUCCESS, "alice", "web-1", "cloud-user",
                        OptionalLong.of(serial), OptionalInt.of(1), "192.0.2.7", null, TAG))));
        JsonNode failed = recorded(new AuditEvent.HostLogin(Outcome.FAILURE, "bob", "web-1", null, OptionalLong.empty(),
                OptionalInt.empty(), null, "access-denied", null));
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "host-login", "outcome", "failure",
                "identity", "bob", "host", "web-1", "problem", "access-denied"), fields(failed));
        assertTrue(failed.get("cert_serial") == null && failed.get("rule") == null);
    }

    @Test
    void superuser() throws IOException {
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "superuser", "granted", "true",
                "identity", "alice", "host", "web-1", "session", "0123456789abcdef"),
                fields(recorded(new AuditEvent.Superuser(true, "alice", "web-1", null, TAG))));
        JsonNode refused = recorded(new AuditEvent.Superuser(false, "bob", "build-1", "access-denied", TAG));
        assertFalse(refused.get("granted").asBoolean());
        assertTrue(refused.get("granted").isBoolean());
        assertEquals("access-denied", refused.get("problem").asText());
    }

    @Test
    void superuserSwitch() throws IOException {
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "superuser-switch", "change", "on",
                "bridge", "sudo", "identity", "alice", "host", "web-1", "session", "0123456789abcdef"),
                fields(recorded(new AuditEvent.SuperuserSwitch(AuditEvent.SuperuserChange.ON, "sudo", "alice", "web-1",
                        TAG))));
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "superuser-switch", "change", "failed",
                "identity", "bob", "host", "build-1", "session", "0123456789abcdef"),
                fields(recorded(new AuditEvent.SuperuserSwitch(AuditEvent.SuperuserChange.FAILED, null, "bob",
                        "build-1", TAG))));
    }

    @Test
    void channelOpened() throws IOException {
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "channel-open", "kind", "terminal",
                "payload", "stream", "command", "bash", "superuser", "false", "identity", "alice", "host", "web-1",
                "session", "0123456789abcdef"),
                fields(recorded(new AuditEvent.ChannelOpened(ChannelKind.TERMINAL, "stream", "bash", false, "alice",
                        "web-1", TAG))));
        JsonNode process = recorded(new AuditEvent.ChannelOpened(ChannelKind.PROCESS, "stream", null, true, "alice",
                "web-1", TAG));
        assertEquals("process", process.get("kind").asText());
        assertFalse(process.has("command"), process.toString());
    }

    @Test
    void sessionEnded() throws IOException {
        JsonNode node = recorded(new AuditEvent.SessionEnded("alice", "web-1", Duration.ofMillis(93_456_789L),
                12_345, 6_789_012_345L, TAG));
        assertEquals(Map.of("ts", "2026-05-06T07:08:09.123Z", "event", "session-end", "identity", "alice",
                "host", "web-1", "duration_ms", "93456789", "bytes_to_host", "12345", "bytes_to_browser", "6789012345",
                "session", "0123456789abcdef"), fields(node));
        assertTrue(node.get("bytes_to_browser").isIntegralNumber());
        assertThrows(IllegalArgumentException.class,
                () -> new AuditEvent.SessionEnded("a", "h", Duration.ofSeconds(-1), 0, 0, TAG));
    }

    /** User-controlled strings cannot break the line, forge fields or smuggle terminal escapes. */
    @Test
    void escapesEverything() throws IOException {
        String nasty = "eve\",\"outcome\":\"success\"}\n{\"event\":\"sign-in\u2028\u001b[31m\\";
        JsonNode node = recorded(new AuditEvent.SignIn(Outcome.FAILURE, SignInMethod.PASSWORD, nasty, "x\r\ny", null));
        assertEquals(nasty, node.get("identity").asText());
        assertEquals("failure", node.get("outcome").asText());
        assertEquals("x\r\ny", node.get("client").asText());
        assertEquals("Jürgen", recorded(new AuditEvent.SignOut("Jürgen", null)).get("identity").asText());
    }

    @Test
    void longStringsAreCut() throws IOException {
        JsonNode node = recorded(new AuditEvent.SignOut("a".repeat(10_000), null));
        assertEquals("a".repeat(AuditJson.MAX_STRING) + "...", node.get("identity").asText());
    }

    @Test
    void aFailingSinkNeitherThrowsNorStopsTheOthers() {
        Lines good = new Lines();
        AuditSink broken = new AuditSink() {
            @Override
            public void write(String line) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void close() {
            }
        };
        AuditLog log = new AuditLog(List.of(broken, good), Clock.fixed(AT, ZoneOffset.UTC));
        log.record(new AuditEvent.SignOut("alice", null));
        log.record(new AuditEvent.SignOut("bob", null));
        assertEquals(2, good.lines.size());
        assertEquals(2, log.failures());
    }

    @Test
    void streamAndFileSinksWriteWholeLines(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AuditLog log = new AuditLog(List.of(new AuditSink.StreamSink(bytes, false)), Clock.systemUTC())) {
            log.record(new AuditEvent.SignOut("alice", null));
            log.record(new AuditEvent.SignOut("bob", null));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertEquals("bob", JSON.readTree(lines.get(1)).get("identity").asText());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("}\n"));

        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");
        try (AuditLog log = new AuditLog(List.of(AuditSink.file(file)), Clock.systemUTC())) {
            log.record(new AuditEvent.SignOut("carol", "127.0.0.1"));
        }
        List<String> fileLines = Files.readAllLines(file);
        assertEquals(2, fileLines.size(), "appends");
        assertEquals("carol", JSON.readTree(fileLines.get(1)).get("identity").asText());
    }

    @Test
    void stdoutSinkWritesToStandardOutput() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(bytes, false, StandardCharsets.UTF_8));
        try (AuditLog log = new AuditLog(List.of(AuditSink.stdout()), Clock.fixed(AT, ZoneOffset.UTC))) {
            log.record(new AuditEvent.SignOut("alice", null));
        } finally {
            System.setOut(original);
        }
        assertEquals("{\"ts\":\"2026-05-06T07:08:09.123Z\",\"event\":\"sign-out\",\"identity\":\"alice\"}\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sessionTagsAreRandomAndCannotHoldACookie() {
        assertFalse(SessionTag.random().equals(SessionTag.random()));
        assertTrue(SessionTag.random().value().matches("[0-9a-f]{16}"));
        assertThrows(IllegalArgumentException.class, () -> new SessionTag("v=2;k=3b1f8c0d9e2a4b6c8d0e1f2a3b4c5d6e"));
    }
}
