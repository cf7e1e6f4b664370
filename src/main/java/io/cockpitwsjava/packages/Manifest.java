package io.cockpitwsjava.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One candidate package: its directory and its manifest after overrides and {@code ${libexecdir}} patching, with
 * the fields that drive selection already validated (docs/beiboot.md §9.1).
 */
record Manifest(Path directory, String name, long priority, String contentSecurityPolicy,
                List<Condition> conditions, ObjectNode json) {

    /** A manifest the bridge would refuse; the message says why (for the log). */
    static final class InvalidManifestException extends Exception {
        InvalidManifestException(String message) {
            super(message);
        }
    }

    /** Validates {@code json} the way the bridge does; {@code bridgeVersion} is checked against {@code requires}. */
    static Manifest of(Path directory, ObjectNode json, String bridgeVersion) throws InvalidManifestException {
        String name = optionalString(json, "name", directory.getFileName().toString());
        checkBridges(json);
        long priority = 1;
        JsonNode p = json.get("priority");
        if (p != null) {
            if (!p.isIntegralNumber() || !p.canConvertToLong()) {
                throw new InvalidManifestException("attribute 'priority' must be an integer");
            }
            priority = p.asLong();
        }
        String csp = optionalString(json, "content-security-policy", "");
        List<Condition> conditions = parseConditions(json.get("conditions"));
        checkRequires(json.get("requires"), bridgeVersion);
        return new Manifest(directory, name, priority, csp, List.copyOf(conditions), json);
    }

    boolean conditionsHold(Map<String, Boolean> existsOnTarget) {
        return conditions.stream().allMatch(c -> c.holds(existsOnTarget));
    }

    void collectConditionPaths(Consumer<String> sink) {
        conditions.forEach(c -> c.collectPaths(sink));
    }

    private static String optionalString(ObjectNode json, String key, String fallback)
            throws InvalidManifestException {
        JsonNode v = json.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new InvalidManifestException("attribute '" + key + "' must be a string");
        }
        return v.asText();
    }

    private static List<Condition> parseConditions(JsonNode list) throws InvalidManifestException {
        List<Condition> result = new ArrayList<>();
        if (list == null) {
            return result;
        }
        if (!list.isArray()) {
            throw new InvalidManifestException("attribute 'conditions' must be a list");
        }
        for (JsonNode item : list) {
            result.add(parseCondition(item));
        }
        return result;
    }

    private static Condition parseCondition(JsonNode item) throws InvalidManifestException {
        if (!item.isObject() || item.size() != 1) {
            throw new InvalidManifestException("condition must be an object with exactly one key/value pair");
        }
        Map.Entry<String, JsonNode> entry = item.fields().next();
        String predicate = entry.getKey();
        JsonNode value = entry.getValue();
        return switch (predicate) {
            case "path-exists", "path-not-exists" -> {
                if (!value.isTextual()) {
                    throw new InvalidManifestException("condition '" + predicate + "' must be a string");
                }
                yield new Condition.PathExists(value.asText(), predicate.equals("path-exists"));
            }
            case "any" -> new Condition.AnyOf(List.copyOf(parseConditions(value)));
            default -> new Condition.Unknown(predicate);
        };
    }

    private static void checkRequires(JsonNode requires, String bridgeVersion) throws InvalidManifestException {
        if (requires == null) {
            return;
        }
        if (!requires.isObject()) {
            throw new InvalidManifestException("attribute 'requires' must be an object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = requires.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> req = it.next();
            if (!req.getKey().equals("cockpit")) {
                throw new InvalidManifestException("non-cockpit requirement listed: " + req.getKey());
            }
            if (!req.getValue().isTextual()) {
                throw new InvalidManifestException("required cockpit version must be a string");
            }
            if (CockpitVersion.isNewer(req.getValue().asText(), bridgeVersion)) {
                throw new InvalidManifestException(
                        "required cockpit version (" + req.getValue().asText() + ") not met by " + bridgeVersion);
            }
        }
    }

    // the bridge refuses a whole manifest whose "bridges" entries are malformed, so we must too
    private static void checkBridges(ObjectNode json) throws InvalidManifestException {
        JsonNode bridges = json.get("bridges");
        if (bridges == null) {
            return;
        }
        if (!bridges.isArray()) {
            throw new InvalidManifestException("attribute 'bridges' must be a list");
        }
        for (JsonNode bridge : bridges) {
            if (!bridge.isObject()) {
                throw new InvalidManifestException("bridge must be an object");
            }
            JsonNode label = bridge.get("label");
            if (label != null && !label.isTextual()) {
                throw new InvalidManifestException("bridge 'label' must be a string");
            }
            JsonNode privileged = bridge.get("privileged");
            if (privileged != null && !privileged.isBoolean()) {
                throw new InvalidManifestException("bridge 'privileged' must be a boolean");
            }
            JsonNode match = bridge.get("match");
            if (match != null && !match.isObject()) {
                throw new InvalidManifestException("bridge 'match' must be an object");
            }
            boolean isPrivileged = privileged != null && privileged.asBoolean();
            if (!isPrivileged && (match == null || match.isEmpty())) {
                throw new InvalidManifestException("bridge must have match rules or be privileged");
            }
            checkStrings(bridge.get("environ"), "environ", false);
            checkStrings(bridge.get("spawn"), "spawn", true);
        }
    }

    private static void checkStrings(JsonNode list, String key, boolean required) throws InvalidManifestException {
        if (list == null) {
            if (required) {
                throw new InvalidManifestException("bridge '" + key + "' required");
            }
            return;
        }
        if (!list.isArray()) {
            throw new InvalidManifestException("bridge '" + key + "' must be a list of strings");
        }
        for (JsonNode s : list) {
            if (!s.isTextual()) {
                throw new InvalidManifestException("bridge '" + key + "' must be a list of strings");
            }
        }
        if (required && list.isEmpty()) {
            throw new InvalidManifestException("bridge '" + key + "' must be non-empty");
        }
    }
}
