package io.cockpitwsjava.protocol;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fuzz harness for {@link WebSocketMessage#parse}: the input is one browser message. Documented error:
 * {@link ProtocolException} with {@link Problem#PROTOCOL_ERROR}. Properties: the channel id is valid, formatting the
 * message gives back exactly the input, and parsing a slice of a larger array gives the same message.
 */
public final class WebSocketMessageFuzz {

    private WebSocketMessageFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        WebSocketMessage msg;
        try {
            msg = WebSocketMessage.parse(data);
        } catch (ProtocolException e) {
            checkEqual(Problem.PROTOCOL_ERROR, e.problem(), "problem");
            return;
        }
        check(ChannelId.isValid(msg.channel()), "invalid channel id accepted");
        check(Arrays.equals(data, msg.toBytes()), "format(parse(x)) != x");
        byte[] padded = new byte[data.length + 6];
        Arrays.fill(padded, (byte) '\n');
        System.arraycopy(data, 0, padded, 3, data.length);
        try {
            checkEqual(msg, WebSocketMessage.parse(padded, 3, data.length), "message parsed from a slice");
        } catch (ProtocolException e) {
            throw new io.cockpitwsjava.fuzz.FuzzFinding("a slice failed where the array did not: " + e.getMessage());
        }
    }

    public static byte[] generate(Random r) {
        String channel = switch (r.nextInt(4)) {
            case 0 -> "";
            case 1 -> "1:" + r.nextInt(50);
            case 2 -> "ch\u007f" + r.nextInt(9);
            default -> "x".repeat(r.nextInt(100));
        };
        byte[] payload = switch (r.nextInt(3)) {
            case 0 -> "{\"command\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            case 1 -> "a\nb\n\u00e9".getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] p = new byte[r.nextInt(64)];
                r.nextBytes(p);
                yield p;
            }
        };
        return WebSocketMessage.format(channel, payload);
    }

    public static final List<String> DICTIONARY = List.of("\n", "\0", "\u007f", "\u0080", "1:1\n");
}
