package io.cockpitwsjava.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cockpitwsjava.audit.AuditEvent.SignInMethod;
import io.cockpitwsjava.protocol.ControlMessage;

/** What {@link AuditTrail} and {@link SessionAudit} make of the gateway's calls: which lines, with which values. */
class AuditTrailTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final List<String> written = new ArrayList<>();
    final AuditTrail trail = new AuditTrail(new AuditLog(List.of(new AuditSink() {
        @Override
        public void write(String line) {
            written.add(line);
        }

        @Override
        public void close() {
        }
    }), Clock.fixed(Instant.parse("2026-05-06T07:08:09.123Z"), ZoneOffset.UTC)));

    List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : written) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    static ControlMessage open(String json) throws Exception {
        return ControlMessage.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aCertificateLoginCarriesItsSerialRuleAndOneTagForAllItsLines() throws Exception {
        SessionAudit session = trail.loggedIn(LoginSubject.certificate("alice", "web-1", "cloud-user", -2L, 3,
                "198.51.100.4"));
        session.superuser(true, "ignored when granted");
        session.ended(10, 20);
        List<JsonNode> l = lines();
        assertEquals(3, l.size());
        JsonNode login = l.get(0);
        assertEquals("host-login", login.path("event").asText());
        assertEquals("success", login.path("outcome").asText());
        assertEquals("alice", login.path("identity").asText());
        assertEquals("cloud-user", login.path("ssh_user").asText());
        // unsigned, as sshd logs it
        assertEquals("18446744073709551614", login.path("cert_serial").asText());
        assertEquals(3, login.path("rule").asInt());
        assertFalse(login.has("problem"));
        String tag = login.path("session").asText();
        assertEquals(session.tag().value(), tag);
        assertEquals(tag, l.get(1).path("session").asText());
        assertFalse(l.get(1).has("problem"), l.get(1).toString());
        assertEquals(tag, l.get(2).path("session").asText());
        assertEquals(10, l.get(2).path("bytes_to_host").asLong());
        assertEquals(20, l.get(2).path("bytes_to_browser").asLong());
    }

    @Test
    void aFailedLoginHasAProblemAndNoSession() throws Exception {
        trail.loginFailed(LoginSubject.password("bob", "10.0.0.5:2222", "192.0.2.9"), "authentication-failed");
        JsonNode line = lines().get(0);
        assertEquals("failure", line.path("outcome").asText());
        assertEquals("bob", line.path("identity").asText());
        assertEquals("bob", line.path("ssh_user").asText());
        assertEquals("authentication-failed", line.path("problem").asText());
        assertFalse(line.has("session") || line.has("cert_serial") || line.has("rule"), line.toString());
    }

    @Test
    void hostLoginWithAnOutcome() throws Exception {
        LoginSubject s = LoginSubject.password("bob", "h", null);
        assertSame(SessionAudit.NONE, trail.hostLogin(s, Outcome.FAILURE, "no-host"));
        SessionAudit ok = trail.hostLogin(s, Outcome.SUCCESS, null);
        assertTrue(ok.tag() != null);
        assertEquals(List.of("failure", "success"), lines().stream().map(n -> n.path("outcome").asText()).toList());
    }

    @Test
    void superuserAndEndAreWrittenOnce() throws Exception {
        SessionAudit session = trail.loggedIn(LoginSubject.password("bob", "h", null));
        session.superuser(false, "access-denied");
        session.superuser(true, null);
        session.ended(1, 2);
        session.ended(3, 4);
        List<JsonNode> l = lines();
        assertEquals(3, l.size(), written.toString());
        assertFalse(l.get(1).path("granted").asBoolean());
        assertEquals("access-denied", l.get(1).path("problem").asText());
        assertEquals(1, l.get(2).path("bytes_to_host").asLong());
    }

    @Test
    void onlySpawnedChannelsAreWrittenWithoutArgumentsOrEnvironment() throws Exception {
        SessionAudit session = trail.loggedIn(LoginSubject.password("bob", "web-1", null));
        written.clear();
        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"dbus-json3\",\"bus\":\"system\"}"));
        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:2\",\"payload\":\"stream\",\"unix\":\"/run/x.sock\"}"));
        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:3\",\"payload\":\"fsread1\",\"path\":\"/etc/shadow\"}"));
        assertEquals(List.of(), written, "channels without spawn are not written");

        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:4\",\"payload\":\"stream\","
                + "\"spawn\":[\"/usr/bin/mysql\",\"--password=hunter2\"],\"environ\":[\"TOKEN=abc123\"]}"));
        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:5\",\"payload\":\"stream\","
                + "\"spawn\":[\"/bin/bash\",\"-i\"],\"pty\":true,\"superuser\":\"try\"}"));
        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:6\",\"payload\":\"stream\","
                + "\"spawn\":[\"top\"],\"host\":\"db-2\",\"superuser\":\"require\"}"));
        session.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:7\",\"payload\":\"stream\","
                + "\"spawn\":[42],\"host\":\"localhost\"}"));
        List<JsonNode> l = lines();
        assertEquals(4, l.size(), written.toString());
        assertEquals("process", l.get(0).path("kind").asText());
        assertEquals("mysql", l.get(0).path("command").asText());
        assertFalse(l.get(0).path("superuser").asBoolean());
        assertEquals("terminal", l.get(1).path("kind").asText());
        assertEquals("bash", l.get(1).path("command").asText());
        assertTrue(l.get(1).path("superuser").asBoolean());
        assertEquals("db-2", l.get(2).path("host").asText(), "a multi-host channel names its host");
        assertTrue(l.get(2).path("superuser").asBoolean());
        assertEquals("web-1", l.get(3).path("host").asText());
        assertFalse(l.get(3).has("command"), "a spawn word that is not a string gives no command");
        String all = String.join("\n", written);
        assertFalse(all.contains("hunter2") || all.contains("abc123") || all.contains("-i"), all);
    }

    @Test
    void commandNames() throws Exception {
        assertEquals("top", SessionAudit.commandName(JSON.readTree("\"top\"")));
        assertEquals("python3", SessionAudit.commandName(JSON.readTree("\"/usr/bin/python3\"")));
        assertNull(SessionAudit.commandName(JSON.readTree("\"/usr/bin/\"")));
        assertNull(SessionAudit.commandName(null));
        assertEquals(SessionAudit.MAX_COMMAND,
                SessionAudit.commandName(JSON.readTree("\"" + "x".repeat(500) + "\"")).length());
    }

    @Test
    void signInsAndSignOuts() throws Exception {
        trail.signedIn(SignInMethod.OIDC, "alice", "198.51.100.4");
        trail.signInFailed(SignInMethod.PASSWORD, null, "198.51.100.4", "authentication-failed");
        trail.signOut("alice", null);
        List<JsonNode> l = lines();
        assertEquals("oidc", l.get(0).path("method").asText());
        assertEquals("success", l.get(0).path("outcome").asText());
        assertFalse(l.get(0).has("problem"));
        assertEquals("failure", l.get(1).path("outcome").asText());
        assertFalse(l.get(1).has("identity"), "no name was tried");
        assertEquals("sign-out", l.get(2).path("event").asText());
        assertFalse(l.get(2).has("client"));
    }

    @Test
    void noneWritesNothing() throws Exception {
        SessionAudit.NONE.superuser(true, null);
        SessionAudit.NONE.channelOpened(open("{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\","
                + "\"spawn\":[\"top\"]}"));
        SessionAudit.NONE.ended(1, 1);
        AuditTrail.none().signOut("alice", null);
        assertEquals(List.of(), written);
    }
}
