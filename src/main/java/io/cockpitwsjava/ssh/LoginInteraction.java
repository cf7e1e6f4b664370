package io.cockpitwsjava.ssh;


import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.session.ClientSession;

/**
 * The client's {@link UserInteraction}: keeps the server's banner for the next prompt and gives the login password
 * at most once to the SSH {@code password} method. Prompts are not answered here (this interface would make MINA
 * wait on an I/O thread): see {@link LoginPrompts}.
 */
final class LoginInteraction implements UserInteraction {

    @Override
    public boolean isInteractionAllowed(ClientSession session) {
        return LoginAttempt.of(session) != null;
    }

    @Override
    public void welcome(ClientSession session, String banner, String lang) {
        LoginAttempt a = LoginAttempt.of(session);
        if (a != null && banner != null && !banner.isBlank()) {
            a.banner = banner.strip();
        }
    }

    @Override
    public String resolveAuthPasswordAttempt(ClientSession session) {
        LoginAttempt a = LoginAttempt.of(session);
        return a == null ? null : LoginPrompts.takePassword(a);
    }

    /** Never called: {@link KeyboardInteractiveAuth} asks through {@link LoginPrompts}, without blocking. */
    @Override
    public String[] interactive(ClientSession session, String name, String instruction, String lang,
            String[] prompts, boolean[] echo) {
        return null;
    }

    /** Never called: the password method's change request asks through {@link LoginPrompts}, without blocking. */
    @Override
    public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
        return null;
    }
}
