package io.cockpitwsjava.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

/**
 * One audit event as one line of JSON. Jackson escapes every string; non-ASCII is escaped too, so a line is plain
 * ASCII and no Unicode line separator or terminal escape reaches a log pipeline raw. Strings are cut at
 * {@link #MAX_STRING} characters so a line stays short (one {@code write} call, never interleaved).
 */
final class AuditJson {

    /** Longest string field written; longer values end in {@code ...}. */
    static final int MAX_STRING = 512;

    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private AuditJson() {
    }

    /** The line for {@code event} at {@code at}, without the newline. */
    static String line(AuditEvent event, Instant at) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS)));
            g.writeStringField("event", event.type());
            switch (event) {
                case AuditEvent.SignIn e -> {
                    g.writeStringField("outcome", e.outcome().json());
                    g.writeStringField("method", e.method().json());
                    string(g, "identity", e.identity());
                    string(g, "client", e.client());
                    string(g, "problem", e.problem());
                }
                case AuditEvent.SignOut e -> {
                    string(g, "identity", e.identity());
                    string(g, "client", e.client());
                }
                case AuditEvent.HostLogin e -> {
                    g.writeStringField("outcome", e.outcome().json());
                    string(g, "identity", e.identity());
                    string(g, "host", e.host());
                    string(g, "ssh_user", e.sshUser());
                    if (e.certificateSerial().isPresent()) {
                        // a string: unsigned 64-bit, as sshd logs it, beyond what JSON numbers carry exactly
                        g.writeStringField("cert_serial", Long.toUnsignedString(e.certificateSerial().getAsLong()));
                    }
                    if (e.rule().isPresent()) {
                        g.writeNumberField("rule", e.rule().getAsInt());
                    }
                    string(g, "client", e.client());
                    string(g, "problem", e.problem());
                    session(g, e.session());
                }
                case AuditEvent.Superuser e -> {
                    g.writeBooleanField("granted", e.granted());
                    string(g, "identity", e.identity());
                    string(g, "host", e.host());
                    string(g, "problem", e.problem());
                    session(g, e.session());
                }
                case AuditEvent.SuperuserSwitch e -> {
                    g.writeStringField("change", e.change().json());
                    string(g, "bridge", e.bridge());
                    string(g, "identity", e.identity());
                    string(g, "host", e.host());
                    session(g, e.session());
                }
                case AuditEvent.ChannelOpened e -> {
                    g.writeStringField("kind", e.kind().json());
                    string(g, "payload", e.payload());
                    string(g, "command", e.command());
                    g.writeBooleanField("superuser", e.superuser());
                    string(g, "identity", e.identity());
                    string(g, "host", e.host());
                    session(g, e.session());
                }
                case AuditEvent.SessionEnded e -> {
                    string(g, "identity", e.identity());
                    string(g, "host", e.host());
                    g.writeNumberField("duration_ms", e.duration().toMillis());
                    g.writeNumberField("bytes_to_host", e.bytesToHost());
                    g.writeNumberField("bytes_to_browser", e.bytesToBrowser());
                    session(g, e.session());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an audit line", e);
        }
        return out.toString();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value.length() <= MAX_STRING ? value : value.substring(0, MAX_STRING) + "...");
        }
    }

    private static void session(JsonGenerator g, SessionTag tag) throws IOException {
        if (tag != null) {
            g.writeStringField("session", tag.value());
        }
    }
}
