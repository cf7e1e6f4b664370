package io.cockpitwsjava.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML document as a tree that remembers line numbers, so the inventory checks can say where a mistake is. Read with
 * Jackson's streaming YAML parser; refuses what a hand-edited security file should not contain: several documents,
 * duplicate keys, anchors and aliases (Jackson would turn an alias into its anchor's name), and explicit tags.
 */
sealed interface YamlNode {

    /** 1-based line where the node starts. */
    int line();

    /** What the node is, for messages ("a list", "a mapping", ...). */
    String kind();

    /**
     * A scalar with its text exactly as written.
     *
     * @param token Jackson's guess of its type (VALUE_STRING, VALUE_TRUE, VALUE_NUMBER_INT, ...)
     */
    record Scalar(String text, JsonToken token, int line) implements YamlNode {
        @Override
        public String kind() {
            return "a single value";
        }
    }

    /** {@code ~}, {@code null} or nothing. */
    record Null(int line) implements YamlNode {
        @Override
        public String kind() {
            return "empty";
        }
    }

    /** A mapping in document order; each key's own line is in {@code keyLines}. */
    record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line) implements YamlNode {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** Thrown for input that is not YAML we accept; {@link #line} is 0 when unknown. */
    final class SyntaxException extends Exception {
        final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /** Largest document read, in characters (thousands of hosts fit easily). */
    int MAX_CHARS = 8 * 1024 * 1024;
    /** Deepest nesting accepted (the inventory needs 4). */
    int MAX_DEPTH = 16;

    /** Parses one YAML document. */
    static YamlNode parse(String text) throws SyntaxException {
        if (text.length() > MAX_CHARS) {
            throw new SyntaxException(0, "file larger than " + MAX_CHARS + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CHARS);
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        // an empty plain scalar ("env:") is missing, not the empty string: only '' is empty
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Null(1);
            }
            YamlNode root = read(p, 0);
            if (p.nextToken() != null) {
                throw new SyntaxException(line(p), "more than one YAML document (remove the '---')");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SyntaxException(Math.max(line, 0), "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SyntaxException(0, "not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static YamlNode read(JsonParser p, int depth) throws IOException, SyntaxException {
        int line = line(p);
        YAMLParser y = (YAMLParser) p;
        if (y.isCurrentAlias()) {
            throw new SyntaxException(line, "YAML aliases (*name) are not supported here: write the value out");
        }
        if (y.getObjectId() != null) {
            throw new SyntaxException(line, "YAML anchors (&name) are not supported here");
        }
        if (y.getTypeId() != null) {
            throw new SyntaxException(line, "YAML tags (" + y.getTypeId() + ") are not supported here");
        }
        if (depth > MAX_DEPTH) {
            throw new SyntaxException(line, "nested too deeply");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    if (entries.containsKey(key)) {
                        throw new SyntaxException(keyLine, "duplicate key '" + key + "' (first on line "
                                + keyLines.get(key) + ")");
                    }
                    p.nextToken();
                    keyLines.put(key, keyLine);
                    entries.put(key, read(p, depth + 1));
                }
                return new Mapping(entries, keyLines, line);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, depth + 1));
                }
                return new Sequence(items, line);
            }
            case VALUE_NULL -> {
                return new Null(line);
            }
            case VALUE_STRING, VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Scalar(p.getText(), t, line);
            }
            default -> throw new SyntaxException(line, "unexpected YAML content: " + t);
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
