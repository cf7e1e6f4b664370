package io.cockpitwsjava.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A control message (docs/protocol.md §6.2, §6.5): a JSON object with a non-empty string {@code command}, validated on
 * {@link #parse parse}. If present, {@code channel} is a non-empty ASCII string without {@code \n} or NUL;
 * {@code open} and {@code close} require it; {@code open}'s {@code binary}, if present, is a string.
 *
 * <p>Wraps a live Jackson {@link ObjectNode}; the {@code with}/{@code without} builders modify this message and
 * return it (use {@link #copy()} first to keep the original). Edits through {@link #node()} bypass validation.
 * Not thread-safe.
 *
 * <p>A parsed message keeps the bytes it was parsed from, and {@link #toBytes()} gives those back as long as the
 * message is unchanged: what the gateway only passes on is not serialised again. Parsing refuses duplicate keys, so
 * the passed-on bytes cannot mean anything else to the receiver than what the gateway read.
 */
public final class ControlMessage {

    /** The one mapper of the protocol layer; strict JSON, one value per message. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Strict parsing: a duplicate key is an error, not "the last one wins". */
    private static final ObjectReader READER = MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String COMMAND = "command";
    private static final String CHANNEL = "channel";

    private final ObjectNode node;
    /** The bytes this message was parsed from, {@code raw[rawOffset, rawOffset+rawLength)}; null once it changed. */
    private byte[] raw;
    private int rawOffset;
    private int rawLength;

    private ControlMessage(ObjectNode node) {
        this.node = node;
    }

    /** Parses and validates a control message payload (UTF-8 JSON). */
    public static ControlMessage parse(byte[] json) throws ProtocolException {
        return parse(json, 0, json.length);
    }

    /**
     * Parses and validates {@code buf[off, off+len)}.
     *
     * @throws ProtocolException {@link Problem#PROTOCOL_ERROR} for bad JSON, a non-object, or a failed rule above
     */
    public static ControlMessage parse(byte[] buf, int off, int len) throws ProtocolException {
        Objects.checkFromIndexSize(off, len, buf.length);
        JsonNode tree;
        try {
            tree = READER.readTree(buf, off, len);
        } catch (JacksonException e) {
            // Jackson's message may quote the input (a password in authorize); keep only the kind of failure.
            throw error("control message is not valid JSON (" + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw error("control message could not be read");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw error("control message is not a JSON object");
        }
        ControlMessage msg = new ControlMessage(object);
        msg.validate();
        // the caller's bytes, not a copy: frames and browser messages are not written to after they are parsed
        msg.raw = buf;
        msg.rawOffset = off;
        msg.rawLength = len;
        return msg;
    }

    /** Wraps (without copying) and validates an existing object, e.g. one built by hand. */
    public static ControlMessage wrap(ObjectNode node) throws ProtocolException {
        ControlMessage msg = new ControlMessage(Objects.requireNonNull(node, "node"));
        msg.validate();
        return msg;
    }

    /** A new message {@code {"command": command}}. */
    public static ControlMessage of(String command) {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command must be a non-empty string");
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put(COMMAND, command);
        return new ControlMessage(node);
    }

    /**
     * {@code {"command":"close","channel":channel,"problem":problem}}; a {@code null} channel gives the channel-less
     * close a socket receives before a protocol-error close (docs/protocol.md §6.9), a {@code null} problem omits it.
     */
    public static ControlMessage close(String channel, Problem problemOrNull) {
        ControlMessage msg = of("close");
        if (channel != null) {
            msg.with(CHANNEL, channel);
        }
        if (problemOrNull != null) {
            msg.with("problem", problemOrNull.wireName());
        }
        return msg;
    }

    private void validate() throws ProtocolException {
        JsonNode command = node.get(COMMAND);
        if (command == null || !command.isTextual() || command.textValue().isEmpty()) {
            throw error("control message has no command");
        }
        JsonNode channel = node.get(CHANNEL);
        if (channel != null) {
            if (!channel.isTextual() || channel.textValue().isEmpty() || !ChannelId.isValid(channel.textValue())) {
                throw error("control message has an invalid channel");
            }
        }
        String name = command.textValue();
        if (channel == null && (name.equals("open") || name.equals("close"))) {
            throw error("'" + name + "' control message has no channel");
        }
        if (name.equals("open")) {
            JsonNode binary = node.get("binary");
            if (binary != null && !binary.isTextual()) {
                throw error("'open' control message has a non-string binary option");
            }
        }
    }

    /** The command, never empty. */
    public String command() {
        return node.path(COMMAND).asText();
    }

    /** The channel id, or {@code null} for a transport-level message. */
    public String channel() {
        JsonNode channel = node.get(CHANNEL);
        return channel != null && channel.isTextual() ? channel.textValue() : null;
    }

    /** Whether the message carries a channel. */
    public boolean hasChannel() {
        return channel() != null;
    }

    /** Whether {@link #command()} equals {@code command}. */
    public boolean is(String command) {
        return command().equals(command);
    }

    /** The live JSON object (the caller may change it: {@link #toBytes()} serialises it again from now on). */
    public ObjectNode node() {
        raw = null;
        return node;
    }

    /** The value of {@code field} if it is a JSON string. */
    public Optional<String> string(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** The {@code problem} field as a known problem code, if any. */
    public Optional<Problem> problem() {
        return string("problem").flatMap(Problem::fromWire);
    }

    /** Whether {@code binary} is {@code "raw"}: the channel carries binary WebSocket frames (docs/protocol.md §6.2). */
    public boolean isBinaryRaw() {
        return "raw".equals(string("binary").orElse(null));
    }

    /** Compact JSON in UTF-8; the bytes it was parsed from while it is unchanged. A new array each time. */
    public byte[] toBytes() {
        if (raw != null) {
            return Arrays.copyOfRange(raw, rawOffset, rawOffset + rawLength);
        }
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("serialising a JSON tree cannot fail", e);
        }
    }

    /** Compact JSON text. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("serialising a JSON tree cannot fail", e);
        }
    }

    /** A deep copy. */
    public ControlMessage copy() {
        ControlMessage c = new ControlMessage(node.deepCopy());
        c.raw = raw;
        c.rawOffset = rawOffset;
        c.rawLength = rawLength;
        return c;
    }

    /**
     * Sets a string field ({@code null} removes it).
     *
     * @throws IllegalArgumentException if that would break the {@code command}/{@code channel} rules
     */
    public ControlMessage with(String field, String value) {
        checkField(field, value);
        raw = null;
        if (value == null) {
            node.remove(field);
        } else {
            node.put(field, value);
        }
        return this;
    }

    /** Sets a boolean field. */
    public ControlMessage with(String field, boolean value) {
        checkNotReserved(field);
        raw = null;
        node.put(field, value);
        return this;
    }

    /** Sets a number field. */
    public ControlMessage with(String field, long value) {
        checkNotReserved(field);
        raw = null;
        node.put(field, value);
        return this;
    }

    /** Sets a field to a JSON value ({@code null} removes it); a string value obeys the same rules as the string overload. */
    public ControlMessage with(String field, JsonNode value) {
        if (value == null) {
            return with(field, (String) null);
        }
        if (value.isTextual()) {
            checkField(field, value.textValue());
        } else {
            checkNotReserved(field);
        }
        raw = null;
        node.set(field, value);
        return this;
    }

    /** Removes a field; {@code command} cannot be removed. */
    public ControlMessage without(String field) {
        if (COMMAND.equals(field)) {
            throw new IllegalArgumentException("command cannot be removed");
        }
        raw = null;
        node.remove(field);
        return this;
    }

    private static void checkField(String field, String value) {
        if (COMMAND.equals(field) && (value == null || value.isEmpty())) {
            throw new IllegalArgumentException("command must be a non-empty string");
        }
        if (CHANNEL.equals(field) && value != null && (value.isEmpty() || !ChannelId.isValid(value))) {
            throw new IllegalArgumentException("invalid channel id (must be non-empty ASCII without newline or NUL)");
        }
    }

    private static void checkNotReserved(String field) {
        if (COMMAND.equals(field) || CHANNEL.equals(field)) {
            throw new IllegalArgumentException(field + " must be a string");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlMessage m && node.equals(m.node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    /** Command and channel only: other fields may hold passwords ({@code authorize}) or tokens. */
    @Override
    public String toString() {
        String channel = channel();
        return "ControlMessage[" + command() + (channel == null ? "" : ", channel=" + channel) + "]";
    }

    private static ProtocolException error(String message) {
        return new ProtocolException(Problem.PROTOCOL_ERROR, message);
    }
}
