package io.cockpitwsjava.audit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.audit.AuditEvent.ChannelKind;
import io.cockpitwsjava.protocol.ControlMessage;

/**
 * The audit lines of one web session after its host login: superuser granted or refused, terminals and processes
 * opened, and the end. All carry the login's identity, host and {@link SessionTag}. Made by
 * {@link AuditTrail#loggedIn}; {@link #NONE} writes nothing.
 */
public class SessionAudit {

    /** Writes nothing: for sessions made without an audit trail (tests). */
    public static final SessionAudit NONE = new SessionAudit(null, null, null);

    /** Longest program name written; longer ones are cut by {@link AuditJson} anyway, this keeps lines short. */
    static final int MAX_COMMAND = 64;

    private final AuditLog log;
    private final LoginSubject subject;
    private final SessionTag tag;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean superuserRecorded = new AtomicBoolean();

    SessionAudit(AuditLog log, LoginSubject subject, SessionTag tag) {
        this.log = log;
        this.subject = subject;
        this.tag = tag;
    }

    /** The label of this session's lines (null for {@link #NONE}). */
    public SessionTag tag() {
        return tag;
    }

    /**
     * The superuser bridge the login asked for started ({@code granted}) or did not (with {@code problem}, such as
     * {@code access-denied}). Written once per session.
     */
    public void superuser(boolean granted, String problem) {
        if (log != null && superuserRecorded.compareAndSet(false, true)) {
            log.record(new AuditEvent.Superuser(granted, subject.identity(), subject.host(), granted ? null : problem,
                    tag));
        }
    }

    /** Whether this session's lines are written anywhere: what only feeds the audit log need not run otherwise. */
    public boolean active() {
        return log != null && log.writes();
    }

    /**
     * Administrative access switched after the login: on (with the superuser bridge's name), off, or a start that
     * failed.
     */
    public void superuserSwitched(AuditEvent.SuperuserChange change, String bridge) {
        if (log != null) {
            log.record(new AuditEvent.SuperuserSwitch(change, change == AuditEvent.SuperuserChange.ON ? bridge : null,
                    subject.identity(), subject.host(), tag));
        }
    }

    /**
     * An {@code open} on its way to a bridge: written when it starts a process ({@code spawn}), as a terminal when it
     * asks for a pty. Only the payload type, the program's name and the superuser option are kept: never the
     * arguments, environment or data, which may hold secrets.
     */
    public void channelOpened(ControlMessage open) {
        if (log == null) {
            return;
        }
        JsonNode node = open.node();
        JsonNode spawn = node.get("spawn");
        if (spawn == null || !spawn.isArray()) {
            return;
        }
        ChannelKind kind = node.path("pty").asBoolean(false) ? ChannelKind.TERMINAL : ChannelKind.PROCESS;
        String payload = node.path("payload").asText("");
        String superuser = node.path("superuser").asText("");
        String host = node.path("host").asText("");
        log.record(new AuditEvent.ChannelOpened(kind, payload, commandName(spawn.path(0)),
                superuser.equals("require") || superuser.equals("try"), subject.identity(),
                host.isEmpty() || host.equals("localhost") ? subject.host() : host, tag));
    }

    /** The session ended: written once, with its duration and the bytes relayed each way. */
    public void ended(long bytesToHost, long bytesToBrowser) {
        if (log != null && ended.compareAndSet(false, true)) {
            log.record(new AuditEvent.SessionEnded(subject.identity(), subject.host(),
                    Duration.ofNanos(System.nanoTime() - startNanos), Math.max(0, bytesToHost),
                    Math.max(0, bytesToBrowser), tag));
        }
    }

    /** The last path segment of a program path ({@code /usr/bin/top} → {@code top}); null when not a string. */
    static String commandName(JsonNode first) {
        if (first == null || !first.isTextual()) {
            return null;
        }
        String path = first.asText();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            return null;
        }
        return name.length() <= MAX_COMMAND ? name : name.substring(0, MAX_COMMAND);
    }
}
