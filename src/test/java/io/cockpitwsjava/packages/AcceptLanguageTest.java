package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcceptLanguageTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "de                                  | de",
            "de-AT                               | de-at de",
            "de-de, de;q=0.9, en;q=0.8           | de-de de",
            "en-US,en;q=0.9,de;q=0.8             | en-us",
            "en,de                               | ''",
            "fr;q=0.5, pt-BR                     | pt-br pt fr",
            "zh-Hant-TW                          | zh-hant-tw zh-hant zh",
            "de;q=0.3, fr;q=0.3, it;q=0.7        | it de fr",
            "de;q=abc, fr                        | fr",
            "de;q=, fr;q=0.5                     | de fr",
            "'  DE ; q=0.5'                      | 'de ; q=0.5'",
            "de;q=0.5;level=1, fr                | fr",
            "fr-ca;q=0.8, fr;q=0.9, en;q=0.1      | fr fr-ca",
            "de;q=1e-1, fr;q=.5, it;q=5.         | it fr de",
            "de;q=inf, fr                        | de fr",
            "de;q=-1, fr;q=0                      | fr de",
            "'*'                                 | *",
            "''                                  | ''",
            "',,'                                | ''",
            "de, de-at;q=0.9, de;q=0.8           | de de-at",
            "a--b                                | a--b a- a",
    })
    void table(String header, String expected) {
        List<String> want = expected.isBlank() ? List.of() : Arrays.asList(expected.trim().split(" (?=[^;])"));
        if (expected.contains(";")) {
            want = List.of(expected);
        }
        assertEquals(want, AcceptLanguage.parse(header), header);
    }

    @Test
    void nullMeansNoPreference() {
        assertEquals(List.of(), AcceptLanguage.parse(null));
    }

    /** Random headers through the installed bridge's own parser. */
    @Test
    void matchesTheBridgeOnRandomHeaders(@TempDir Path tmp) throws Exception {
        BridgeOracle.assumeAvailable();
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String[] locales = {"de", "de-at", "DE-ch", "en", "en-us", "fr", "pt-br", "pt_BR", "zh-hant-tw", "*", "",
                "x-", "-y", " it "};
        String[] weights = {"", ";q=1", ";q=0.5", ";q=0.50", ";q=0", ";q=bad", ";q=", ";q=1e-2", ";q=0.9", ";q= 0.7",
                ";q=-1", ";q=1_0", ";q=.5", ";q=inf"};
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder h = new StringBuilder();
            for (int n = random.nextInt(5); n >= 0; n--) {
                h.append(locales[random.nextInt(locales.length)]).append(weights[random.nextInt(weights.length)]);
                if (n > 0) {
                    h.append(random.nextBoolean() ? ", " : ",");
                }
            }
            headers.add(h.toString());
        }
        ArrayNode request = JsonNodeFactory.instance.arrayNode();
        headers.forEach(request::add);
        Path script = Files.writeString(tmp.resolve("lang.py"), """
                import json, sys
                from cockpit.packages import parse_accept_language
                json.dump([list(parse_accept_language(h)) for h in json.load(sys.stdin)], sys.stdout)
                """);
        JsonNode expected = BridgeOracle.runScript(script, request, Map.of());
        for (int i = 0; i < headers.size(); i++) {
            List<String> want = new ArrayList<>();
            expected.get(i).forEach(n -> want.add(n.asText()));
            assertEquals(want, AcceptLanguage.parse(headers.get(i)), "seed " + seed + " header [" + headers.get(i) + "]");
        }
    }
}
