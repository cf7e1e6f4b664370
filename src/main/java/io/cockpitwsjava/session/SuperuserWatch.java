package io.cockpitwsjava.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.cockpitwsjava.audit.AuditEvent.SuperuserChange;
import io.cockpitwsjava.audit.SessionAudit;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;

/**
 * Follows administrative access switched on or off during a session, for the audit log: Cockpit's "Limited access" /
 * "Administrative access" button calls {@code Start} or {@code Stop} on the bridge's internal D-Bus object
 * {@code /superuser} ({@code cockpit.Superuser}), whose {@code Current} property says which superuser bridge runs
 * ({@code none}, {@code init} while one starts, or its name such as {@code sudo}). The gateway watches that property
 * on an internal {@code dbus-json3} channel of its own and writes a line for each change after the first value:
 * {@code init} → a name is "on", a name → {@code none} is "off", {@code init} → {@code none} is a start that failed.
 * The start a login itself asked for is {@link SuperuserProbe}'s: for such a session the watch begins once the bridge
 * is done with it.
 */
final class SuperuserWatch implements ChannelOwner {
    private static final Logger LOG = Logger.getLogger(SuperuserWatch.class);
    /** The bridge's D-Bus messages on this channel are small; anything bigger is not about this and is skipped. */
    static final int MAX_MESSAGE = 64 * 1024;
    private static final Set<String> NOT_A_BRIDGE = Set.of("none", "init", "root");
    /** Property values now, then every change (the reply's id is {@code w}). */
    private static final byte[] WATCH = ("{\"watch\":{\"path\":\"/superuser\",\"interface\":\"cockpit.Superuser\"},"
            + "\"id\":\"w\"}").getBytes(StandardCharsets.US_ASCII);

    private final WebSession session;
    private final SessionAudit audit;
    /** The last {@code Current} value seen; null until the first. */
    private String current;
    /** The watch's reply came: values from here on are changes. */
    private boolean watching;

    private SuperuserWatch(WebSession session, SessionAudit audit) {
        this.session = session;
        this.audit = audit;
    }

    /**
     * Starts watching {@code session}'s bridge, at once or, when the login asked for a superuser bridge
     * ({@code afterLoginStart}), once the bridge is done starting it.
     */
    static void start(WebSession session, SessionAudit audit, boolean afterLoginStart) {
        if (!audit.active()) {
            return;
        }
        SuperuserWatch w = new SuperuserWatch(session, audit);
        if (afterLoginStart) {
            session.bridge().superuserInitDone().thenRun(w::open);
        } else {
            w.open();
        }
    }

    private void open() {
        if (session.isEnded()) {
            return;
        }
        String channel = session.newInternalChannel();
        if (session.register(channel, this) != WebSession.Registration.REGISTERED) {
            LOG.debugf("session %s: no channel left to follow administrative access", session.id());
            return;
        }
        session.open(ControlMessage.of("open").with("channel", channel).with("payload", "dbus-json3")
                .with("bus", "internal"));
    }

    @Override
    public synchronized void control(String channel, ControlMessage message) {
        switch (message.command()) {
            case "ready" -> session.send(channel, WATCH);
            case "close" -> LOG.debugf("session %s: administrative access no longer followed (%s)", session.id(),
                    message.string("problem").orElse("closed"));
            default -> {
            }
        }
    }

    @Override
    public synchronized void data(String channel, byte[] payload) {
        if (payload.length > MAX_MESSAGE) {
            return;
        }
        JsonNode msg;
        try {
            msg = ControlMessage.MAPPER.readTree(payload);
        } catch (IOException e) {
            return;
        }
        if (msg == null) {
            return;
        }
        if ("w".equals(msg.path("id").asText(null)) && msg.has("reply")) {
            watching = true;
            return;
        }
        JsonNode value = msg.path("notify").path("/superuser").path("cockpit.Superuser").path("Current");
        if (value.isTextual()) {
            changed(value.asText());
        }
    }

    /** A new {@code Current}: the first one (before the watch's reply) is where the session stands, not a change. */
    private void changed(String now) {
        String before = current;
        current = now;
        if (!watching || before == null || before.equals(now)) {
            return;
        }
        if (!NOT_A_BRIDGE.contains(now)) {
            audit.superuserSwitched(SuperuserChange.ON, now);
        } else if (now.equals("none")) {
            audit.superuserSwitched(before.equals("init") ? SuperuserChange.FAILED : SuperuserChange.OFF, null);
        }
    }

    @Override
    public void bridgeClosed(String channel, Problem problem) {
        // the session ends: its session-end line follows
    }
}
