package io.cockpitwsjava.protocol;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Fuzz harness for {@link ControlMessage#parse(byte[])}: the whole input is the JSON payload. Documented error:
 * {@link ProtocolException} with {@link Problem#PROTOCOL_ERROR} and one of a fixed set of messages (never a quote of
 * the input: an {@code authorize} message carries a password). Properties: an accepted message obeys the rules of
 * docs/protocol.md §6.2, and what the gateway writes out of it parses again to the same command and channel (the gateway
 * re-serialises control messages it forwards).
 */
public final class ControlMessageFuzz {

    private static final Pattern ERROR_MESSAGES = Pattern.compile("control message is not valid JSON \\(\\w+\\)"
            + "|control message could not be read|control message is not a JSON object|control message has no command"
            + "|control message has an invalid channel|'(open|close)' control message has no channel"
            + "|'open' control message has a non-string binary option");

    private ControlMessageFuzz() {
    }

    /**
     * Jazzer calls this once before fuzzing: loading and instrumenting Jackson takes seconds on a busy machine and
     * must not count against the first input's timeout.
     */
    public static void fuzzerInitialize() {
        Random random = new Random(0);
        for (int i = 0; i < 20; i++) {
            fuzzerTestOneInput(generate(random));
        }
    }

    public static void fuzzerTestOneInput(byte[] data) {
        ControlMessage msg;
        try {
            msg = ControlMessage.parse(data);
        } catch (ProtocolException e) {
            checkEqual(Problem.PROTOCOL_ERROR, e.problem(), "problem");
            check(e.getMessage() != null && ERROR_MESSAGES.matcher(e.getMessage()).matches(),
                    "unexpected error message (may quote the input): " + e.getMessage());
            return;
        }
        String command = msg.command();
        check(!command.isEmpty(), "empty command accepted");
        String channel = msg.channel();
        check(channel == null || (!channel.isEmpty() && ChannelId.isValid(channel)), "invalid channel accepted");
        check(channel != null || !(command.equals("open") || command.equals("close")), command + " without channel");
        check(!command.equals("open") || msg.string("binary").isPresent() || msg.node().get("binary") == null,
                "open with a non-string binary accepted");

        byte[] out = msg.toBytes();
        ControlMessage again;
        try {
            again = ControlMessage.parse(out);
        } catch (ProtocolException e) {
            throw new io.cockpitwsjava.fuzz.FuzzFinding("the gateway's serialisation of an accepted message does not "
                    + "parse: " + e.getMessage() + " in " + new String(out, StandardCharsets.UTF_8));
        }
        checkEqual(command, again.command(), "command after a round trip");
        checkEqual(channel, again.channel(), "channel after a round trip");
        check(java.util.Arrays.equals(out, again.toBytes()), "serialisation is not a fixed point");
        checkEqual(msg, msg.copy(), "copy");
        // toString is for logs: command and channel only (an authorize message carries a password)
        checkEqual("ControlMessage[" + command + (channel == null ? "" : ", channel=" + channel) + "]", msg.toString(),
                "toString");
    }

    private static final String[] COMMANDS = {"open", "close", "ready", "done", "ping", "pong", "authorize", "init",
            "options", "kill", "hint", "logout", "superuser-init-done", "x"};

    /** A control message, mostly valid, with assorted fields and values. */
    public static byte[] generate(Random r) {
        StringBuilder b = new StringBuilder("{");
        List<String> fields = new java.util.ArrayList<>();
        if (r.nextInt(8) != 0) {
            fields.add("\"command\":" + value(r, "\"" + COMMANDS[r.nextInt(COMMANDS.length)] + "\""));
        }
        if (r.nextInt(3) != 0) {
            fields.add("\"channel\":" + value(r, "\"" + (1 + r.nextInt(9)) + ":" + r.nextInt(99) + "\""));
        }
        String[] extra = {"\"payload\":\"stream\"", "\"binary\":" + value(r, "\"raw\""), "\"problem\":\"not-found\"",
                "\"flow-control\":true", "\"path\":\"/etc/\\u00e9\"", "\"response\":\"secret\"", "\"n\":1e400",
                "\"big\":123456789012345678901234567890", "\"neg\":-0.0", "\"nested\":{\"a\":[1,[2,[3]]]}",
                "\"command\":\"dup\"", "\"s\":\"\\ud800\"", "\"e\":\"\"", "\"superuser\":{\"id\":\"sudo\"}"};
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            fields.add(extra[r.nextInt(extra.length)]);
        }
        java.util.Collections.shuffle(fields, r);
        b.append(String.join(r.nextBoolean() ? "," : " , ", fields)).append('}');
        String json = switch (r.nextInt(12)) {
            case 0 -> "[" + b + "]";
            case 1 -> b + " trailing";
            case 2 -> b.substring(0, r.nextInt(b.length()));
            default -> b.toString();
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(Random r, String usual) {
        return switch (r.nextInt(10)) {
            case 0 -> "\"\"";
            case 1 -> "7";
            case 2 -> "null";
            case 3 -> "\"a\\nb\"";
            case 4 -> "\"\\u0000\"";
            case 5 -> "\"\\u00ff\"";
            default -> usual;
        };
    }

    public static final List<String> DICTIONARY = List.of("\"command\"", "\"channel\"", "\"open\"", "\"close\"",
            "\"binary\"", "\"raw\"", ":", ",", "{", "}", "[", "]", "\\u0000", "\\n", "null", "true", "1e999", "\"");
}
