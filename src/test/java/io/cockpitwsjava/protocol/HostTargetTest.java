package io.cockpitwsjava.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "host                 | null  | host          | 22   | host",
        "host:2222            | null  | host          | 2222 | [host]:2222",
        "admin@host           | admin | host          | 22   | host",
        "admin@host:2200      | admin | host          | 2200 | [host]:2200",
        "a@b@host             | a@b   | host          | 22   | host",
        "10.0.0.1:22          | null  | 10.0.0.1      | 22   | 10.0.0.1",
        "::1                  | null  | ::1           | 22   | ::1",
        "[::1]                | null  | ::1           | 22   | ::1",
        "[::1]:2222           | null  | ::1           | 2222 | [::1]:2222",
        "u@[2001:db8::1]:2222 | u     | 2001:db8::1   | 2222 | [2001:db8::1]:2222",
        "2001:db8::1          | null  | 2001:db8::1   | 22   | 2001:db8::1",
        "fe80::1%eth0         | null  | fe80::1%eth0  | 22   | fe80::1%eth0",
        "Host.Example.COM     | null  | Host.Example.COM | 22 | Host.Example.COM",
        "my_host-1:65535      | null  | my_host-1     | 65535 | [my_host-1]:65535",
    })
    void parses(String spec, String user, String host, int port, String knownHostsName) {
        HostTarget t = HostTarget.parse(spec);
        assertEquals(user, t.user());
        assertEquals(host, t.host());
        assertEquals(port, t.port());
        assertEquals(knownHostsName, t.knownHostsName());
        assertEquals(t, HostTarget.parse(t.display()), "display round trip of " + spec);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
        "", "-oProxyCommand=x", "host name", "host\tname", "host\n", "host\u0000", "host\u007f", "ho/st",
        "@host", "user@", "user@:22", ":22", "host:0", "host:65536", "host:99999999999", "host:", "host:x",
        "-host", "user@-host", "us er@host", "host\u00a0x", "h*st", "h!st", "[host", "host]", "[]:22",
        "user:pw@host", "ho\u2028st", "host:+22", "host:-1", "ünïcode.example",
    })
    void rejects(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostTarget.parse(spec));
        assertEquals(false, e.getMessage() == null || e.getMessage().isEmpty(), "message for " + spec);
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> HostTarget.parse(null));
    }

    @Test
    void hostWithoutUserHasNullUser() {
        assertNull(HostTarget.parse("example.org").user());
        assertEquals("x@example.org", HostTarget.parse("example.org").withUser("x").display());
    }

    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    @Test
    void randomTargetsRoundTripThroughDisplay() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            HostTarget t = new HostTarget(r.nextBoolean() ? null : "u" + word(r, r.nextInt(12)), randomHost(r),
                    r.nextInt(4) == 0 ? 22 : 1 + r.nextInt(65535));
            assertEquals(t, HostTarget.parse(t.display()), "seed " + seed + ": " + t.display());
        }
    }

    @Test
    void randomBadCharactersAreRejected() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        char[] bad = {' ', '\t', '\n', '\r', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028',
            '/'};
        for (int i = 0; i < 2000; i++) {
            String good = new HostTarget(r.nextBoolean() ? null : "u" + word(r, 3), randomHost(r), 1 + r.nextInt(65535))
                    .display();
            int at = r.nextInt(good.length() + 1);
            String spec = good.substring(0, at) + bad[r.nextInt(bad.length)] + good.substring(at);
            assertThrows(IllegalArgumentException.class, () -> HostTarget.parse(spec),
                    "seed " + seed + ": " + spec.replace("\n", "\\n"));
            assertThrows(IllegalArgumentException.class, () -> HostTarget.parse("-" + good), "seed " + seed);
        }
    }

    private static String randomHost(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> (char) ('a' + r.nextInt(26)) + word(r, r.nextInt(20));
            case 1 -> r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            default -> {
                StringBuilder b = new StringBuilder();
                int groups = 2 + r.nextInt(6);
                for (int g = 0; g < groups; g++) {
                    if (g > 0) {
                        b.append(g == 1 && r.nextBoolean() ? "::" : ":");
                    }
                    b.append(Integer.toHexString(r.nextInt(0x10000)));
                }
                yield b.toString();
            }
        };
    }

    private static String word(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
        }
        return b.toString();
    }
}
