package io.cockpitwsjava.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The external channel query: standard base64 of a JSON open message (docs/protocol.md §8.1). */
class ExternalChannelEndpointTest {

    private static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void standardAlphabetWithPlusAndSlash() {
        String json = "{\"payload\":\"fsread1\",\"path\":\"/tmp/a>>b??\"}";
        String q = b64(json);
        assertTrue(q.contains("+") && q.contains("/"), q);
        ObjectNode open = ExternalChannelEndpoint.decode(q);
        assertNotNull(open);
        assertEquals("/tmp/a>>b??", open.get("path").asText());
        assertEquals("fsread1", open.get("payload").asText());
    }

    @Test
    void paddingMayBeMissing() {
        String json = "{\"payload\":\"fsread1\",\"path\":\"/??>>~~\"}";
        String q = b64(json);
        assertTrue(q.endsWith("="), q);
        assertEquals("/??>>~~", ExternalChannelEndpoint.decode(q.replace("=", "")).get("path").asText());
        assertEquals("/??>>~~", ExternalChannelEndpoint.decode(q).get("path").asText());
        assertNotNull(ExternalChannelEndpoint.decode("e30"), "{} without padding");
    }

    @Test
    void sosreportStyleMessage() {
        String json = "{\"payload\":\"fsread1\",\"path\":\"/var/tmp/sos.tar.xz\",\"binary\":\"raw\","
                + "\"external\":{\"content-disposition\":\"attachment; filename=\\\"sos.tar.xz\\\"\","
                + "\"content-type\":\"application/x-xz\"}}";
        ObjectNode open = ExternalChannelEndpoint.decode(b64(json));
        assertEquals("raw", open.get("binary").asText());
        assertEquals("attachment; filename=\"sos.tar.xz\"",
                open.get("external").get("content-disposition").asText());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "[]",
            "[{\"payload\":\"fsread1\"}]",
            "\"string\"",
            "42",
            "null",
            "true",
            "{\"payload\":\"fsread1\",\"channel\":\"x\"}",
            "{\"payload\":\"fsread1\",\"command\":\"open\"}",
            "{\"channel\":null}",
            "not json",
            "{\"unterminated\":",
            "''",
    })
    void rejectedJson(String json) {
        assertNull(ExternalChannelEndpoint.decode(b64(json)), json);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "NONE", delimiter = '|', value = {
            "NONE",
            "''",
            "!!!!",
            "e30=x",
            "e30==",
            "eyJhIjox",
            "e",
    })
    void rejectedBase64(String query) {
        assertNull(ExternalChannelEndpoint.decode(query), query);
    }
}
