package io.cockpitwsjava.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class EntityTagTest {
    static final byte[] A = "console.log(1)\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void sameBytesSameStrongTag() {
        String t = EntityTag.of(A);
        assertEquals(t, EntityTag.of(A.clone()));
        assertTrue(t.matches("\"[0-9a-f]{32}\""), t);
        assertNotEquals(t, EntityTag.of("console.log(2)\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\"e3b0c44298fc1c149afbf4c8996fb924\"", EntityTag.of(new byte[0]), "SHA-256 of nothing, cut to 128 bits");
    }

    @Test
    void ifNoneMatchLists() {
        String t = EntityTag.of(A);
        assertTrue(EntityTag.matches(t, t));
        assertTrue(EntityTag.matches("\"other\", " + t, t), "any tag of a list");
        assertTrue(EntityTag.matches("W/" + t, t), "If-None-Match compares weakly");
        assertTrue(EntityTag.matches("*", t));
        assertFalse(EntityTag.matches(null, t));
        assertFalse(EntityTag.matches("", t));
        assertFalse(EntityTag.matches(t.replace("\"", ""), t), "an unquoted tag is not the tag");
        assertFalse(EntityTag.matches("\"other\"", t));
    }
}
