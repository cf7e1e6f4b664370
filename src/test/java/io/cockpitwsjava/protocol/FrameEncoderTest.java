package io.cockpitwsjava.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameEncoderTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "a5    | abc                                 | '6\na5\nabc'",
            "''    | '{\"command\":\"done\",\"channel\":\"1:1\"}' | '35\n\n{\"command\":\"done\",\"channel\":\"1:1\"}'",
            "1:1   | ''                                  | '4\n1:1\n'",
            "c     | é€                                  | '7\nc\né€'",
            "1:3!7 | 'line\nline'                        | '15\n1:3!7\nline\nline'",
    })
    void encodesWithByteLength(String channel, String payload, String wire) {
        assertArrayEquals(wire.getBytes(UTF_8), FrameEncoder.encode(channel, payload.getBytes(UTF_8)));
        assertEquals(wire.getBytes(UTF_8).length, FrameEncoder.encodedSize(channel, payload.getBytes(UTF_8).length));
    }

    @Test
    void encodesSlice() {
        byte[] buf = "xxabcxx".getBytes(UTF_8);
        assertArrayEquals("6\na5\nabc".getBytes(UTF_8), FrameEncoder.encode("a5", buf, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> FrameEncoder.encode("a5", buf, 5, 3));
    }

    @Test
    void encodesControlMessageCompactly() {
        ControlMessage msg = ControlMessage.of("done").with("channel", "1:1");
        assertArrayEquals("35\n\n{\"command\":\"done\",\"channel\":\"1:1\"}".getBytes(UTF_8),
                FrameEncoder.encodeControl(msg));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "\n", "a\0", "\u00e9", "\u20ac"})
    void rejectsChannelThatCannotBeFramed(String channel) {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(channel, new byte[1]));
    }

    @Test
    void neverWritesMoreThanEightDigits() throws Exception {
        // frame length = 1 (separator) + payload: 99 999 999 is the largest 8-digit length
        byte[] payload = new byte[Limits.MAX_FRAME_BYTES_WRITE - 1];
        byte[] wire = FrameEncoder.encode("", payload);
        assertEquals("99999999\n\n", new String(wire, 0, 10, UTF_8));

        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode("a", payload));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.encode("", new byte[Limits.MAX_FRAME_BYTES_WRITE]));

        // and what we write at the limit, we read
        List<Frame> frames = new ArrayList<>();
        new FrameDecoder(Limits.MAX_FRAME_BYTES_WRITE).feed(ByteBuffer.wrap(wire), frames::add);
        assertEquals(1, frames.size());
        assertEquals(payload.length, frames.get(0).payload().length);
    }
}
