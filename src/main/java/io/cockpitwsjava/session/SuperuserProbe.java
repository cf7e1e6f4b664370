package io.cockpitwsjava.session;

import java.util.concurrent.atomic.AtomicBoolean;

import io.cockpitwsjava.audit.SessionAudit;
import io.cockpitwsjava.protocol.ControlMessage;
import io.cockpitwsjava.protocol.Problem;

/**
 * Finds out whether the superuser bridge a login asked for ({@code X-Superuser}) started, for the audit log. The
 * bridge only says that it is done trying ({@code superuser-init-done}, without the result), so the gateway then asks
 * it the same way a page does: it opens an internal {@code null} channel with {@code superuser: require}. The bridge
 * routes it to the superuser bridge if one runs ({@code ready}: granted) and refuses it otherwise ({@code close} with
 * {@code access-denied}: refused). The channel carries no data and is closed at once.
 */
final class SuperuserProbe implements ChannelOwner {

    private final WebSession session;
    private final SessionAudit audit;
    private final AtomicBoolean answered = new AtomicBoolean();

    private SuperuserProbe(WebSession session, SessionAudit audit) {
        this.session = session;
        this.audit = audit;
    }

    /** Asks once the session's bridge is done starting its superuser bridge. */
    static void afterInit(WebSession session, SessionAudit audit) {
        session.bridge().superuserInitDone().thenRun(() -> new SuperuserProbe(session, audit).ask());
    }

    private void ask() {
        if (session.isEnded()) {
            return;
        }
        String channel = session.newInternalChannel();
        if (session.register(channel, this) != WebSession.Registration.REGISTERED) {
            // the session's channel table is full: the page's own superuser channels will fail the same way
            audit.superuser(false, Problem.TOO_LARGE.wireName());
            return;
        }
        session.open(ControlMessage.of("open").with("channel", channel).with("payload", "null")
                .with("superuser", "require"));
    }

    @Override
    public void control(String channel, ControlMessage message) {
        switch (message.command()) {
            case "ready" -> {
                if (answered.compareAndSet(false, true)) {
                    audit.superuser(true, null);
                }
                session.unregister(channel, this);
                session.sendControl(ControlMessage.close(channel, null));
            }
            case "close" -> {
                if (answered.compareAndSet(false, true)) {
                    audit.superuser(false, message.string("problem").orElse(Problem.ACCESS_DENIED.wireName()));
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void data(String channel, byte[] payload) {
        // a null channel sends none
    }

    @Override
    public void bridgeClosed(String channel, Problem problem) {
        // the session ended before the answer: it had no superuser access anyone could use
    }
}
