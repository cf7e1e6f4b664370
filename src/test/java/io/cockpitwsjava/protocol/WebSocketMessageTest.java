package io.cockpitwsjava.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketMessageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "'1:1\nhello'                   | 1:1   | hello",
            "'\n{\"command\":\"ping\"}'      | ''    | '{\"command\":\"ping\"}'",
            "'1:3!7\nline\nline\n'          | 1:3!7 | 'line\nline\n'",
            "'1:2\n'                        | 1:2   | ''",
            "'\n'                           | ''    | ''",
            "'4\nhé€'                       | 4     | 'hé€'",
    })
    void splitsAtFirstNewline(String data, String channel, String payload) throws Exception {
        WebSocketMessage msg = WebSocketMessage.parse(data.getBytes(UTF_8));
        assertEquals(channel, msg.channel());
        assertArrayEquals(payload.getBytes(UTF_8), msg.payload());
        assertEquals(channel.isEmpty(), msg.isControl());
        assertArrayEquals(data.getBytes(UTF_8), WebSocketMessage.format(channel, payload.getBytes(UTF_8)));
        assertArrayEquals(data.getBytes(UTF_8), msg.toBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1:1", "{\"command\":\"ping\"}", "a\0\nx", "\u00e9\nx", "\u0080\n"})
    void rejectsMissingNewlineOrBadChannel(String data) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> WebSocketMessage.parse(data.getBytes(ISO_8859_1)));
        assertEquals(Problem.PROTOCOL_ERROR, e.problem());
    }

    @Test
    void parsesSliceAndCopiesPayload() throws Exception {
        byte[] buf = "XX1:1\nabcYY".getBytes(UTF_8);
        WebSocketMessage msg = WebSocketMessage.parse(buf, 2, 7);
        assertEquals(new WebSocketMessage("1:1", "abc".getBytes(UTF_8)), msg);
        buf[8] = 'Z';
        assertArrayEquals("abc".getBytes(UTF_8), msg.payload());
        // the newline outside the slice does not count
        assertThrows(ProtocolException.class, () -> WebSocketMessage.parse(buf, 0, 5));
    }

    @Test
    void formatsSlice() {
        assertArrayEquals("1:1\nbc".getBytes(UTF_8), WebSocketMessage.format("1:1", "abcd".getBytes(UTF_8), 1, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\0", "\u00e9"})
    void formatRejectsBadChannel(String channel) {
        assertThrows(IllegalArgumentException.class, () -> WebSocketMessage.format(channel, new byte[0]));
    }

    @Test
    void formatsControlText() {
        assertEquals("\n{\"command\":\"ping\"}", WebSocketMessage.formatControlText(ControlMessage.of("ping")));
    }

    @Test
    void randomRoundTrip() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            String channel = FrameDecoderTest.randomChannel(random);
            byte[] payload = FrameDecoderTest.randomPayload(random);
            WebSocketMessage msg = WebSocketMessage.parse(WebSocketMessage.format(channel, payload));
            assertEquals(new WebSocketMessage(channel, payload), msg, "seed " + seed + ", message " + i);
        }
    }

    @Test
    void headIsWhatFormatPutsBeforeThePayload() {
        byte[] payload = "data".getBytes(UTF_8);
        byte[] head = WebSocketMessage.head("4:2!7");
        assertArrayEquals("4:2!7\n".getBytes(ISO_8859_1), head);
        byte[] joined = java.util.Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, joined, head.length, payload.length);
        assertArrayEquals(WebSocketMessage.format("4:2!7", payload), joined);
        assertArrayEquals("\n".getBytes(ISO_8859_1), WebSocketMessage.head(""));
        assertThrows(IllegalArgumentException.class, () -> WebSocketMessage.head("a\nb"));
    }

    @Test
    void toStringHidesPayload() {
        String s = new WebSocketMessage("1:1", "secret".getBytes(UTF_8)).toString();
        assertFalse(s.contains("secret"), s);
        assertTrue(s.contains("6 bytes"), s);
    }
}
