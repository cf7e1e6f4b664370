package io.cockpitwsjava.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/** Reassembly of browser messages from Vert.x's own frame objects, as bytes, and the message size limit. */
class BrowserMessagesTest {

    private final List<byte[]> messages = new ArrayList<>();
    private int tooBig;

    private BrowserMessages messages(int maxBytes) {
        return new BrowserMessages(maxBytes, (data, off, len) -> messages.add(Arrays.copyOfRange(data, off, off + len)),
                () -> tooBig++);
    }

    @Test
    void textIsHandedOnAsItsUtf8BytesWithoutADecode() {
        BrowserMessages m = messages(1024);
        m.handle(WebSocketFrame.textFrame("1:1\nhällo ✓", true));
        // bytes a String round trip would have replaced with U+FFFD are handed on as they came
        byte[] notUtf8 = { '1', ':', '1', '\n', (byte) 0xC3, (byte) 0x28 };
        m.handle(WebSocketFrame.binaryFrame(Buffer.buffer(notUtf8), true));
        assertEquals(2, messages.size());
        assertArrayEquals("1:1\nhällo ✓".getBytes(UTF_8), messages.get(0));
        assertArrayEquals(notUtf8, messages.get(1));
    }

    @Test
    void fragmentsAreJoinedAndControlFramesLeftAlone() {
        BrowserMessages m = messages(1024);
        m.handle(WebSocketFrame.textFrame("\n{\"command\":", false));
        m.handle(WebSocketFrame.pingFrame(Buffer.buffer("p")));
        m.handle(WebSocketFrame.continuationFrame(Buffer.buffer("\"ping\""), false));
        assertEquals(0, messages.size(), "nothing before the final fragment");
        m.handle(WebSocketFrame.continuationFrame(Buffer.buffer("}"), true));
        assertEquals(1, messages.size());
        assertEquals("\n{\"command\":\"ping\"}", new String(messages.get(0), UTF_8));
    }

    @Test
    void aMessageOverTheLimitIsRefusedOnceAndTheNextOneArrives() {
        BrowserMessages m = messages(16);
        m.handle(WebSocketFrame.binaryFrame(Buffer.buffer("1:1\n0123456789"), false));
        m.handle(WebSocketFrame.continuationFrame(Buffer.buffer("abcdefgh"), false));
        m.handle(WebSocketFrame.continuationFrame(Buffer.buffer("ijklmnop"), true));
        assertEquals(1, tooBig, "refused when it passed the limit");
        assertEquals(0, messages.size(), "nothing of it handed on");
        m.handle(WebSocketFrame.textFrame("1:1\nok", true));
        assertEquals(1, messages.size());
        assertEquals("1:1\nok", new String(messages.get(0), UTF_8));
    }

    @Test
    void aFragmentedMessageExactlyAtTheLimitArrives() {
        BrowserMessages m = messages(8);
        m.handle(WebSocketFrame.textFrame("1:1\n", false));
        m.handle(WebSocketFrame.continuationFrame(Buffer.buffer("abcd"), true));
        assertEquals(0, tooBig);
        assertEquals("1:1\nabcd", new String(messages.get(0), UTF_8));
    }
}
