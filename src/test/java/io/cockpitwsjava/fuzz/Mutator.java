package io.cockpitwsjava.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Byte-level mutations in the manner of libFuzzer's, for the seeded engine (Jazzer has its own). */
public final class Mutator {

    /** Bytes that are delimiters somewhere among the targets. */
    private static final byte[] INTERESTING = {0, 1, '\n', '\r', '\t', ' ', '\0', '"', '\'', '\\', ';', '=', ',', ':',
            '@', '[', ']', '/', '?', '%', '-', '+', '#', '{', '}', '0', '9', 0x7f, (byte) 0x80, (byte) 0xc3,
            (byte) 0xe2, (byte) 0xf0, (byte) 0xff};

    private final Random random;
    private final byte[][] dictionary;

    public Mutator(Random random, List<String> dictionary) {
        this.random = random;
        this.dictionary = dictionary.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** One to four mutations of {@code input}; {@code other} is a partner for cross-over. */
    public byte[] mutate(byte[] input, byte[] other) {
        byte[] b = input;
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = once(b, other);
        }
        return b;
    }

    private byte[] once(byte[] b, byte[] other) {
        int op = random.nextInt(b.length == 0 ? 3 : 10);
        switch (op) {
            case 0:
                return insert(b, randomBytes(1 + random.nextInt(8)));
            case 1:
                return insert(b, dictionary.length == 0 ? new byte[] {pick()} : dictionary[random.nextInt(dictionary.length)]);
            case 2:
                return other.length == 0 ? b : insert(b, slice(other));
            case 3: {
                byte[] c = b.clone();
                c[random.nextInt(c.length)] ^= (byte) (1 << random.nextInt(8));
                return c;
            }
            case 4: {
                byte[] c = b.clone();
                c[random.nextInt(c.length)] = pick();
                return c;
            }
            case 5: {
                int from = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(b.length - from, 16));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, from);
                System.arraycopy(b, from + len, c, from, b.length - from - len);
                return c;
            }
            case 6:
                return insert(b, slice(b));
            case 7: {
                // repeat a slice many times: long lines, deep nesting, many separators
                byte[] s = slice(b);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n = 2 + random.nextInt(64);
                for (int i = 0; i < n; i++) {
                    out.writeBytes(s);
                }
                return insert(b, out.toByteArray());
            }
            case 8: {
                // change a run of ASCII digits to another number
                byte[] c = b.clone();
                int at = random.nextInt(c.length);
                String digits = Long.toString(random.nextBoolean() ? random.nextInt(10) : random.nextLong() >>> random.nextInt(64));
                byte[] d = digits.getBytes(StandardCharsets.US_ASCII);
                int end = at;
                while (end < c.length && c[end] >= '0' && c[end] <= '9') {
                    end++;
                }
                return replace(c, at, end, d);
            }
            default: {
                // cross-over: a prefix of one and a suffix of the other
                if (other.length == 0) {
                    return b;
                }
                int cut = random.nextInt(b.length + 1);
                int cutOther = random.nextInt(other.length + 1);
                return replace(b, cut, b.length, Arrays.copyOfRange(other, cutOther, other.length));
            }
        }
    }

    private byte pick() {
        return random.nextInt(3) == 0 ? (byte) random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)];
    }

    private byte[] randomBytes(int n) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = pick();
        }
        return r;
    }

    private byte[] slice(byte[] b) {
        if (b.length == 0) {
            return b;
        }
        int from = random.nextInt(b.length);
        int len = 1 + random.nextInt(Math.min(b.length - from, 32));
        return Arrays.copyOfRange(b, from, from + len);
    }

    private byte[] insert(byte[] b, byte[] what) {
        int at = random.nextInt(b.length + 1);
        return replace(b, at, at, what);
    }

    private static byte[] replace(byte[] b, int from, int to, byte[] what) {
        byte[] c = new byte[b.length - (to - from) + what.length];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(what, 0, c, from, what.length);
        System.arraycopy(b, to, c, from + what.length, b.length - to);
        return c;
    }
}
