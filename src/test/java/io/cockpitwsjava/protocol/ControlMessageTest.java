package io.cockpitwsjava.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlMessageTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"command\":\"init\",\"version\":1}",
            "{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"echo\"}",
            "{\"command\":\"open\",\"channel\":\"1:1\",\"payload\":\"stream\",\"binary\":\"raw\"}",
            "{\"command\":\"close\",\"channel\":\"1:3!7\",\"problem\":\"disconnected\"}",
            "{\"command\":\"kill\",\"group\":\"cockpit1:localhost/system\"}",
            "{\"command\":\"unknown-future-command\",\"x\":[1,{\"y\":null}]}",
            "{\n  \"command\": \"init\",\n  \"capabilities\": {\"explicit-superuser\": true}\n}\n",
            "{\"command\":\"ready\",\"channel\":\"0:0\"}",
    })
    void acceptsValid(String json) throws Exception {
        ControlMessage msg = ControlMessage.parse(json.getBytes(UTF_8));
        assertFalse(msg.command().isEmpty());
        // passed on as it came while unchanged
        assertEquals(json, new String(msg.toBytes(), UTF_8));
        // re-serialised compactly once changed, and parsing that gives an equal message
        ControlMessage changed = msg.copy().with("x-test", true);
        assertFalse(new String(changed.toBytes(), UTF_8).contains("\n"));
        assertEquals(changed, ControlMessage.parse(changed.toBytes()));
    }

    @Test
    void theParsedBytesArePassedOnOnlyWhileTheMessageIsUnchanged() throws Exception {
        byte[] buf = "xx{ \"command\" : \"ping\", \"channel\" : \"1:1\" }yy".getBytes(UTF_8);
        ControlMessage msg = ControlMessage.parse(buf, 2, buf.length - 4);
        assertEquals("{ \"command\" : \"ping\", \"channel\" : \"1:1\" }", new String(msg.toBytes(), UTF_8));
        assertEquals("{ \"command\" : \"ping\", \"channel\" : \"1:1\" }", new String(msg.copy().toBytes(), UTF_8),
                "a copy is unchanged too");
        ControlMessage pong = msg.copy().with("command", "pong");
        assertEquals("{\"command\":\"pong\",\"channel\":\"1:1\"}", new String(pong.toBytes(), UTF_8));
        assertEquals("{ \"command\" : \"ping\", \"channel\" : \"1:1\" }", new String(msg.toBytes(), UTF_8),
                "changing the copy leaves the original");
        msg.node();
        assertEquals("{\"command\":\"ping\",\"channel\":\"1:1\"}", new String(msg.toBytes(), UTF_8),
                "whoever had the live node may have changed it: serialised again");
        msg.without("channel");
        assertEquals("{\"command\":\"ping\"}", new String(msg.toBytes(), UTF_8));
    }

    /** Passed-on bytes must mean to the receiver what they meant to the gateway: no "last key wins" ambiguity. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"command\":\"open\",\"channel\":\"1:1\",\"channel\":\"9:9\"}",
            "{\"command\":\"ping\",\"command\":\"open\",\"channel\":\"1:1\"}",
            "{\"command\":\"open\",\"channel\":\"1:1\",\"host\":\"a\",\"host\":\"b\"}",
    })
    void duplicateKeysAreRefused(String json) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlMessage.parse(json.getBytes(UTF_8)));
        assertEquals(Problem.PROTOCOL_ERROR, e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "{\"command\":\"init\"",
            "{\"command\":\"init\"} {}",
            "{\"command\":\"init\"}x",
            "[\"command\",\"init\"]",
            "\"init\"",
            "null",
            "42",
            "{}",
            "{\"channel\":\"1:1\"}",
            "{\"command\":\"\"}",
            "{\"command\":null}",
            "{\"command\":7}",
            "{\"command\":[\"open\"]}",
            "{\"command\":\"open\"}",
            "{\"command\":\"close\",\"problem\":\"disconnected\"}",
            "{\"command\":\"open\",\"channel\":\"\"}",
            "{\"command\":\"ready\",\"channel\":\"\"}",
            "{\"command\":\"open\",\"channel\":\"a\\nb\"}",
            "{\"command\":\"open\",\"channel\":\"a\\u0000b\"}",
            "{\"command\":\"open\",\"channel\":\"\u00e9\"}",
            "{\"command\":\"open\",\"channel\":1}",
            "{\"command\":\"done\",\"channel\":null}",
            "{\"command\":\"open\",\"channel\":\"1:1\",\"binary\":true}",
            "{\"command\":\"open\",\"channel\":\"1:1\",\"binary\":null}",
            "{\"command\":\"open\",\"channel\":\"1:1\",\"binary\":{\"raw\":1}}",
            "{\"command\":\"init\",}",
            "{'command':'init'}",
    })
    void rejectsInvalid(String json) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlMessage.parse(json.getBytes(UTF_8)));
        assertEquals(Problem.PROTOCOL_ERROR, e.problem());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] json = {'{', '"', 'c', 'o', 'm', 'm', 'a', 'n', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThrows(ProtocolException.class, () -> ControlMessage.parse(json));
    }

    @Test
    void errorMessageDoesNotQuoteInput() {
        String json = "{\"command\":\"authorize\",\"response\":\"hunter2\"";
        ProtocolException e = assertThrows(ProtocolException.class, () -> ControlMessage.parse(json.getBytes(UTF_8)));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void nonStringBinaryIsOnlyAnErrorForOpen() throws Exception {
        ControlMessage msg = ControlMessage.parse("{\"command\":\"options\",\"channel\":\"1:1\",\"binary\":5}"
                .getBytes(UTF_8));
        assertFalse(msg.isBinaryRaw());
    }

    @Test
    void parsesSlice() throws Exception {
        byte[] buf = "xx{\"command\":\"ping\"}yy".getBytes(UTF_8);
        assertEquals("ping", ControlMessage.parse(buf, 2, buf.length - 4).command());
    }

    @Test
    void accessors() throws Exception {
        ControlMessage msg = ControlMessage.parse(
                "{\"command\":\"open\",\"channel\":\"1:2\",\"binary\":\"raw\",\"flow-control\":true,\"problem\":\"not-found\"}"
                        .getBytes(UTF_8));
        assertEquals("open", msg.command());
        assertTrue(msg.is("open"));
        assertEquals("1:2", msg.channel());
        assertTrue(msg.hasChannel());
        assertTrue(msg.isBinaryRaw());
        assertEquals(Optional.of("raw"), msg.string("binary"));
        assertEquals(Optional.empty(), msg.string("flow-control"));
        assertEquals(Optional.empty(), msg.string("absent"));
        assertEquals(Optional.of(Problem.NOT_FOUND), msg.problem());
        assertTrue(msg.node().get("flow-control").booleanValue());

        ControlMessage ping = ControlMessage.parse("{\"command\":\"ping\"}".getBytes(UTF_8));
        assertNull(ping.channel());
        assertFalse(ping.hasChannel());
        assertFalse(ping.isBinaryRaw());
        assertEquals(Optional.empty(), ping.problem());
    }

    @Test
    void buildersProduceCompactJsonInInsertionOrder() {
        ControlMessage msg = ControlMessage.of("init")
                .with("version", 1)
                .with("channel-seed", "1:")
                .with("host", "localhost")
                .with("superuser", false)
                .with("capabilities", JsonNodeFactory.instance.arrayNode().add("multi").add("binary"));
        assertEquals("{\"command\":\"init\",\"version\":1,\"channel-seed\":\"1:\",\"host\":\"localhost\","
                + "\"superuser\":false,\"capabilities\":[\"multi\",\"binary\"]}", msg.toJson());
        assertEquals(msg.toJson(), new String(msg.toBytes(), UTF_8));
        assertEquals("{\"command\":\"init\",\"version\":1}",
                msg.without("channel-seed").without("host").without("superuser").without("capabilities").toJson());
        assertEquals("{\"command\":\"init\"}", msg.with("version", (String) null).toJson());
    }

    @Test
    void buildersKeepCommandAndChannelValid() {
        ControlMessage msg = ControlMessage.of("ready");
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.of(""));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.of(null));
        assertThrows(IllegalArgumentException.class, () -> msg.with("command", ""));
        assertThrows(IllegalArgumentException.class, () -> msg.with("command", (String) null));
        assertThrows(IllegalArgumentException.class, () -> msg.without("command"));
        assertThrows(IllegalArgumentException.class, () -> msg.with("channel", ""));
        assertThrows(IllegalArgumentException.class, () -> msg.with("channel", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> msg.with("channel", 5L));
        assertThrows(IllegalArgumentException.class, () -> msg.with("command", true));
        assertThrows(IllegalArgumentException.class,
                () -> msg.with("channel", JsonNodeFactory.instance.textNode("")));
        assertEquals("{\"command\":\"ready\"}", msg.toJson());
    }

    @Test
    void closeMessages() throws Exception {
        assertEquals("{\"command\":\"close\",\"channel\":\"1:1\",\"problem\":\"disconnected\"}",
                ControlMessage.close("1:1", Problem.DISCONNECTED).toJson());
        assertEquals("{\"command\":\"close\",\"channel\":\"1:1\"}", ControlMessage.close("1:1", null).toJson());
        // channel-less close sent to a browser before closing its socket with 1011 (docs/protocol.md §6.9)
        assertEquals("{\"command\":\"close\",\"problem\":\"protocol-error\"}",
                ControlMessage.close(null, Problem.PROTOCOL_ERROR).toJson());
    }

    @Test
    void copyIsDeep() throws Exception {
        ControlMessage original = ControlMessage.parse(
                "{\"command\":\"open\",\"channel\":\"1:1\",\"nested\":{\"a\":1}}".getBytes(UTF_8));
        ControlMessage copy = original.copy();
        assertEquals(original, copy);
        copy.with("channel", "1:2");
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy.node().get("nested")).put("a", 2);
        assertEquals("1:1", original.channel());
        assertEquals(1, original.node().get("nested").get("a").intValue());
        assertNotEquals(original, copy);
    }

    @Test
    void nodeIsLive() {
        ControlMessage msg = ControlMessage.of("ping");
        msg.node().put("command", "pong");
        assertEquals("pong", msg.command());
    }

    @Test
    void wrapValidates() throws Exception {
        var node = JsonNodeFactory.instance.objectNode().put("command", "open");
        assertThrows(ProtocolException.class, () -> ControlMessage.wrap(node));
        node.put("channel", "1:1");
        assertEquals("1:1", ControlMessage.wrap(node).channel());
    }

    @Test
    void toStringHidesOtherFields() throws Exception {
        ControlMessage msg = ControlMessage.parse(
                "{\"command\":\"authorize\",\"cookie\":\"0\",\"response\":\"hunter2\"}".getBytes(UTF_8));
        assertFalse(msg.toString().contains("hunter2"), msg.toString());
        assertTrue(msg.toString().contains("authorize"), msg.toString());
    }
}
