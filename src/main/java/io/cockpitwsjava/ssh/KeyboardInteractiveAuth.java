package io.cockpitwsjava.ssh;

import java.util.concurrent.CompletableFuture;

import org.apache.sshd.client.auth.AbstractUserAuth;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * SSH {@code keyboard-interactive} (RFC 4256) that never waits on the thread that received the server's
 * {@code SSH_MSG_USERAUTH_INFO_REQUEST}: it hands the prompts to {@link LoginPrompts} and returns, and the
 * {@code SSH_MSG_USERAUTH_INFO_RESPONSE} is written later by whichever thread completes the answers (MINA's
 * user-auth service just waits for the server's next message meanwhile). MINA's own implementation asks a
 * synchronous {@code UserInteraction} instead, which parks one of the shared I/O threads for as long as the user
 * reads a prompt. One request per login, as with {@code PASSWORD_PROMPTS = 1}.
 */
final class KeyboardInteractiveAuth extends AbstractUserAuth {

    static final String NAME = UserAuthKeyboardInteractiveFactory.NAME;
    /** RFC 4256 sets no bound; a server asking more than this is broken or hostile. */
    private static final int MAX_PROMPTS = 64;

    private boolean requested;

    KeyboardInteractiveAuth() {
        super(NAME);
    }

    @Override
    public void init(ClientSession session, String service) throws Exception {
        TrackedAuthMethods.offered(session, NAME);
        super.init(session, service);
    }

    @Override
    protected boolean sendAuthDataRequest(ClientSession session, String service) throws Exception {
        if (requested) {
            return false; // the server failed our one request: next method
        }
        requested = true;
        String user = session.getUsername();
        Buffer b = session.createBuffer(SshConstants.SSH_MSG_USERAUTH_REQUEST, user.length() + service.length() + 64);
        b.putString(user);
        b.putString(service);
        b.putString(NAME);
        b.putString(CoreModuleProperties.INTERACTIVE_LANGUAGE_TAG.getRequired(session));
        b.putString(CoreModuleProperties.INTERACTIVE_SUBMETHODS.getRequired(session));
        session.writePacket(b);
        return true;
    }

    @Override
    protected boolean processAuthDataRequest(ClientSession session, String service, Buffer buffer) throws Exception {
        int cmd = buffer.getUByte();
        if (cmd != SshConstants.SSH_MSG_USERAUTH_INFO_REQUEST) {
            throw new IllegalStateException("unexpected packet in keyboard-interactive: "
                    + SshConstants.getCommandMessageName(cmd));
        }
        String name = buffer.getString();
        String instruction = buffer.getString();
        buffer.getString(); // language tag
        int num = buffer.getInt();
        if (num < 0 || num > MAX_PROMPTS) {
            throw new IllegalStateException("keyboard-interactive request with " + num + " prompts");
        }
        String[] prompts = new String[num];
        boolean[] echo = new boolean[num];
        for (int i = 0; i < num; i++) {
            prompts[i] = buffer.getString();
            echo[i] = buffer.getBoolean();
        }
        LoginAttempt a = LoginAttempt.of(session);
        if (a == null) {
            return false;
        }
        // RFC 4256 3.4: zero prompts still need a (zero) response
        CompletableFuture<String[]> answers = num == 0 ? CompletableFuture.completedFuture(new String[0])
                : LoginPrompts.answers(a, name, instruction, prompts, echo);
        if (answers == null) {
            return false;
        }
        answers.whenComplete((replies, error) -> respond(session, a, replies, error));
        return true;
    }

    /** Runs on whichever thread completed the answers: the I/O thread only if no user was asked. */
    private static void respond(ClientSession session, LoginAttempt a, String[] replies, Throwable error) {
        if (a.result.isDone()) {
            return;
        }
        if (error != null) {
            a.fail(LoginPrompts.unanswered(a, error));
            return;
        }
        try {
            Buffer b = session.createBuffer(SshConstants.SSH_MSG_USERAUTH_INFO_RESPONSE, 64 * (replies.length + 1));
            b.putUInt(replies.length);
            for (String r : replies) {
                b.putString(r);
            }
            session.writePacket(b);
        } catch (Exception e) {
            a.fail(SshConnector.loginFailure(a, e));
        }
    }
}
