package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our json.dumps look-alike against Python itself, on random documents. */
class PythonJsonTest {

    @Test
    void matchesPythonJsonDumps(@TempDir Path tmp) throws Exception {
        BridgeOracle.assumeAvailable();
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        ArrayNode docs = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 300; i++) {
            docs.add(randomValue(random, 3));
        }
        Path script = Files.writeString(tmp.resolve("dumps.py"), """
                import json, sys
                json.dump([json.dumps(d) for d in json.load(sys.stdin)], sys.stdout)
                """);
        // let Python parse Jackson's serialization so both sides start from the same values
        JsonNode expected = BridgeOracle.runScript(script, docs, Map.of());
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(expected.get(i).asText(), PythonJson.write(docs.get(i)), "seed " + seed + " doc " + i);
        }
    }

    private static JsonNode randomValue(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = r.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> f.textNode(randomString(r));
            case 1 -> f.numberNode(r.nextInt(2000) - 1000L);
            case 2 -> f.numberNode(switch (r.nextInt(4)) {
                case 0 -> r.nextDouble();
                case 1 -> (double) r.nextInt(100);
                case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
                default -> -r.nextGaussian() * 1e17;
            });
            case 3 -> f.booleanNode(r.nextBoolean());
            case 4 -> f.nullNode();
            case 5 -> f.textNode("");
            case 6 -> {
                ObjectNode o = f.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(randomString(r), randomValue(r, depth - 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = f.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomValue(r, depth - 1));
                }
                yield a;
            }
        };
    }

    private static String randomString(Random r) {
        String alphabet = "ab \"\\/\n\t\u0001\u007f\u00e9\u4e2d\u20ac<>&'";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        if (r.nextInt(5) == 0) {
            sb.appendCodePoint(0x1F4A9);
        }
        return sb.toString();
    }
}
