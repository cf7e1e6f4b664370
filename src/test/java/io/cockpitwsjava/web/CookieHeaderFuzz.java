package io.cockpitwsjava.web;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.cockpitwsjava.fuzz.FuzzInput;

/**
 * Fuzz harness for {@link Exchange#parseCookies}: input = text mode byte + {@code Cookie} header values separated by
 * 0xFF. Documented behaviour: never throws; malformed values are left out. Properties: names are non-empty and hold
 * no {@code ;}; a later header never changes a cookie an earlier one set (first occurrence wins); and a cookie
 * written as {@code name=<percent-encoded value>}, with the first part as value and the second as name, is read back
 * with exactly that value, also behind other cookies.
 */
public final class CookieHeaderFuzz {

    private CookieHeaderFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        List<String> headers = new FuzzInput(data).parts();
        Map<String, String> cookies = Exchange.parseCookies(headers);
        for (String name : cookies.keySet()) {
            check(!name.isEmpty() && name.indexOf(';') < 0, "bad cookie name <" + name + ">");
            check(cookies.get(name) != null, "null value");
        }
        Map<String, String> first = Exchange.parseCookies(headers.subList(0, 1));
        first.forEach((name, value) -> checkEqual(value, cookies.get(name), "cookie " + name + " after more headers"));

        // write one cookie the way a server would, then read it back
        String value = new String(headers.get(0).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String name = headers.size() > 1 ? headers.get(1).strip().replace(";", "") : "cockpit";
        if (name.isEmpty() || !name.equals(name.strip())) {
            return;
        }
        String written = name + "=" + percentEncode(value);
        checkEqual(value, Exchange.parseCookies(List.of(written)).get(name), "value of " + name + " read back");
        String other = headers.size() > 2 ? headers.get(2).replace(";", "") : "a=b";
        if (!other.strip().startsWith(name + "=")) {
            checkEqual(value, Exchange.parseCookies(List.of(other + "; " + written)).get(name),
                    "value of " + name + " behind another cookie");
        }
    }

    /** Percent-encodes every byte outside the RFC 3986 unreserved set. */
    static String percentEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return b.toString();
    }

    public static byte[] generate(Random r) {
        String[] names = {"cockpit", "machine-cockpit+host", "machine-cockpit+user@host:2222", "machine-cockpit+=h",
                "cockpit+app", "a", "x=y", "=", "", " cockpit"};
        String[] values = {"v", "%41%42", "%zz", "%", "a+b", "\u00e9", "=", "a=b=c", "", "%E2%82%AC", "%C3"};
        List<String> headers = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            StringBuilder h = new StringBuilder();
            int pairs = r.nextInt(4);
            for (int j = 0; j < pairs; j++) {
                if (j > 0) {
                    h.append(r.nextBoolean() ? "; " : ";");
                }
                h.append(names[r.nextInt(names.length)]).append('=').append(values[r.nextInt(values.length)]);
            }
            headers.add(h.toString());
        }
        return new FuzzInput.Builder().parts(headers).build();
    }

    public static final List<String> DICTIONARY = List.of(";", "; ", "=", "%", "%2", "%25", "+", "cockpit=",
            "machine-cockpit+", "@", ":");
}
