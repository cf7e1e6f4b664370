package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/** JSON merge patch (RFC 7386) as used for manifest overrides; the inputs are never modified. */
final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /** Applies object {@code patch} to object {@code target}; existing keys keep their position, new keys go last. */
    static ObjectNode apply(ObjectNode target, ObjectNode patch) {
        ObjectNode result = target.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                JsonNode current = target.get(field.getKey());
                ObjectNode base = current != null && current.isObject()
                        ? (ObjectNode) current
                        : target.objectNode();
                result.set(field.getKey(), apply(base, (ObjectNode) value));
            } else if (value.isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), value.deepCopy());
            }
        }
        return result;
    }
}
