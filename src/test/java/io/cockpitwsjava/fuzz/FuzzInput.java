package io.cockpitwsjava.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layout every fuzz harness reads its input in: a few fixed-size parameter bytes at the front (missing bytes
 * read as 0), then the payload. Jazzer mutates the whole array; our own generators build the same layout with
 * {@link Builder}, so a generated input is also a good seed for Jazzer.
 */
public final class FuzzInput {

    /** Separates the parts of a multi-part payload ({@link #parts}); never part of valid UTF-8. */
    public static final byte PART_SEPARATOR = (byte) 0xFF;

    private final byte[] data;
    private int pos;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    /** The next byte, 0 past the end. */
    public int u8() {
        if (pos < data.length) {
            return data[pos++] & 0xff;
        }
        pos++;
        return 0;
    }

    /** The next two bytes, big-endian. */
    public int u16() {
        return (u8() << 8) | u8();
    }

    /** The next four bytes, big-endian. */
    public int u32() {
        return (u16() << 16) | u16();
    }

    /** A value in [min, max] from the next two bytes. */
    public int intIn(int min, int max) {
        return min + Math.floorMod(u16(), max - min + 1);
    }

    /** Everything after the parameters read so far. */
    public byte[] rest() {
        return pos >= data.length ? new byte[0] : Arrays.copyOfRange(data, pos, data.length);
    }

    /**
     * The rest as text; the low two bits of the next parameter byte choose how bytes become chars: UTF-8 (twice as
     * likely, with U+FFFD for bad bytes), ISO-8859-1, or UTF-16BE pairs (any char, lone surrogates included).
     */
    public String restText() {
        int mode = u8();
        return text(rest(), mode);
    }

    /** The rest split at {@link #PART_SEPARATOR}, each part as text in one mode (see {@link #restText()}). */
    public List<String> parts() {
        int mode = u8();
        byte[] rest = rest();
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= rest.length; i++) {
            if (i == rest.length || rest[i] == PART_SEPARATOR) {
                out.add(text(Arrays.copyOfRange(rest, start, i), mode));
                start = i + 1;
            }
        }
        return out;
    }

    /** Bytes to text in the given mode (see {@link #restText()}). */
    public static String text(byte[] bytes, int mode) {
        switch (mode & 3) {
            case 2:
                return new String(bytes, StandardCharsets.ISO_8859_1);
            case 3:
                char[] chars = new char[bytes.length / 2];
                ByteBuffer.wrap(bytes).asCharBuffer().get(chars);
                return new String(chars);
            default:
                return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Builds inputs in this layout (for generators). */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Builder u8(int v) {
            out.write(v);
            return this;
        }

        public Builder u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        public Builder u32(int v) {
            return u16(v >>> 16).u16(v);
        }

        /** The inverse of {@link FuzzInput#intIn} for a value in range. */
        public Builder intIn(int value, int min) {
            return u16(value - min);
        }

        /** Text mode 0 (UTF-8) followed by the text. */
        public Builder text(String s) {
            return u8(0).bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Text mode 0 followed by the parts joined with {@link #PART_SEPARATOR}. */
        public Builder parts(List<String> parts) {
            u8(0);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.write(PART_SEPARATOR);
                }
                bytes(parts.get(i).getBytes(StandardCharsets.UTF_8));
            }
            return this;
        }

        public Builder bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        public byte[] build() {
            return out.toByteArray();
        }
    }
}
