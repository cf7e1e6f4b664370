package io.cockpitwsjava.web;

import static io.cockpitwsjava.fuzz.FuzzFinding.check;
import static io.cockpitwsjava.fuzz.FuzzFinding.checkEqual;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cockpitwsjava.fuzz.FuzzInput;
import io.cockpitwsjava.protocol.ControlMessage;

/**
 * Fuzz harness for {@link ExternalChannelEndpoint#decode}: input = text mode byte + the query string of
 * {@code /<app>/channel/<token>?<query>}. Documented behaviour: null for anything but base64 of a JSON object without
 * {@code command} and {@code channel}; never throws. Property: an accepted object, written as JSON and encoded again (with
 * or without padding), decodes to an object written as the same JSON.
 */
public final class ExternalChannelQueryFuzz {

    private ExternalChannelQueryFuzz() {
    }

    /**
     * Jazzer calls this once before fuzzing: loading and instrumenting Jackson takes seconds on a busy machine and
     * must not count against the first input's timeout.
     */
    public static void fuzzerInitialize() throws JsonProcessingException {
        Random random = new Random(0);
        for (int i = 0; i < 20; i++) {
            fuzzerTestOneInput(generate(random));
        }
    }

    public static void fuzzerTestOneInput(byte[] data) throws JsonProcessingException {
        String query = new FuzzInput(data).restText();
        ObjectNode open = ExternalChannelEndpoint.decode(query);
        if (open == null) {
            return;
        }
        check(!open.has("command") && !open.has("channel"), "command or channel accepted");
        // Compared as JSON text: a number beyond double range reads as Infinity and is written as the string
        // "Infinity", so the trees differ while the text the gateway forwards is stable.
        String json = ControlMessage.MAPPER.writeValueAsString(open);
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        ObjectNode padded = ExternalChannelEndpoint.decode(Base64.getEncoder().encodeToString(utf8));
        ObjectNode unpadded = ExternalChannelEndpoint.decode(Base64.getEncoder().withoutPadding().encodeToString(utf8));
        check(padded != null && unpadded != null, "re-encoded object rejected: " + json);
        checkEqual(json, ControlMessage.MAPPER.writeValueAsString(padded), "padded re-encoding");
        checkEqual(json, ControlMessage.MAPPER.writeValueAsString(unpadded), "unpadded re-encoding");
    }

    public static byte[] generate(Random r) {
        String[] objects = {"{\"payload\":\"http-stream2\",\"address\":\"localhost\",\"port\":9090}",
                "{\"payload\":\"fsread1\",\"path\":\"/etc/os-release\",\"external\":{\"content-type\":\"text/plain\"}}",
                "{\"payload\":\"stream\",\"binary\":\"raw\",\"spawn\":[\"cat\"]}", "{\"command\":\"open\"}",
                "{\"channel\":\"x\"}", "[1,2]", "{}", "{\"a\":1}{\"b\":2}", "{\"n\":1e999}", "\"text\""};
        String json = objects[r.nextInt(objects.length)];
        String b64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        String query = switch (r.nextInt(5)) {
            case 0 -> b64.replace("=", "");
            case 1 -> b64.substring(0, b64.length() / 2) + " \n" + b64.substring(b64.length() / 2);
            case 2 -> b64.replace('+', '-').replace('/', '_');
            default -> b64;
        };
        return new FuzzInput.Builder().text(query).build();
    }

    public static final List<String> DICTIONARY = List.of("=", "==", "+", "/", "-", "_", " ", "\n", "eyJ", "e30",
            "In0");
}
