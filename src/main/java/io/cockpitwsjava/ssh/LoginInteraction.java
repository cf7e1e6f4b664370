package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.LoginConversation;
import io.cockpitwsjava.protocol.Prompt;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.session.ClientSession;
import org.jboss.logging.Logger;

/**
 * The client's {@link UserInteraction}: gives the login password at most once (SSH {@code password} method, or the
 * first non-echo keyboard-interactive prompt containing {@code password:}), and hands every other prompt to the
 * attempt's {@link LoginConversation} (ws-contract §5.7).
 */
final class LoginInteraction implements UserInteraction {

    private static final Logger LOG = Logger.getLogger(LoginInteraction.class);

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
        return a == null ? null : takePassword(a);
    }

    @Override
    public String[] interactive(ClientSession session, String name, String instruction, String lang,
            String[] prompts, boolean[] echo) {
        LoginAttempt a = LoginAttempt.of(session);
        if (a == null) {
            return null;
        }
        String[] answers = new String[prompts.length];
        for (int i = 0; i < prompts.length; i++) {
            if (!echo[i] && prompts[i].toLowerCase(Locale.ROOT).contains("password:") && !a.passwordUsed) {
                answers[i] = takePassword(a);
                if (answers[i] == null) {
                    return null; // no password: this method cannot succeed
                }
                continue;
            }
            String answer = ask(a, new Prompt(prompts[i], echo[i], message(a, name, instruction)));
            if (answer == null) {
                return null;
            }
            answers[i] = answer;
        }
        return answers;
    }

    @Override
    public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
        LoginAttempt a = LoginAttempt.of(session);
        if (a == null) {
            return null;
        }
        String first = ask(a, new Prompt(prompt == null || prompt.isBlank() ? "New password: " : prompt, false,
                null));
        if (first == null) {
            return null;
        }
        String again = ask(a, new Prompt("Retype new password: ", false, null));
        if (!first.equals(again)) {
            LOG.debug("new passwords do not match");
            return null;
        }
        return first;
    }

    private static String takePassword(LoginAttempt a) {
        if (a.passwordUsed || !a.creds.hasPassword()) {
            return null;
        }
        a.passwordUsed = true;
        return new String(a.creds.password());
    }

    private static String message(LoginAttempt a, String name, String instruction) {
        StringBuilder b = new StringBuilder();
        String banner = a.banner;
        a.banner = null;
        for (String part : new String[] {banner, name, instruction}) {
            if (part != null && !part.isBlank()) {
                if (!b.isEmpty()) {
                    b.append('\n');
                }
                b.append(part.strip());
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    /**
     * Asks the user and waits on this MINA I/O thread (the answer cannot be replayed on a new connection). The
     * progress timer is paused meanwhile; the wait is bounded by the response timeout.
     */
    private static String ask(LoginAttempt a, Prompt prompt) {
        LoginConversation conversation = a.creds.conversation();
        if (conversation == null) {
            LOG.debug("prompt without a conversation; giving up on this method");
            return null;
        }
        a.disarm();
        try {
            return conversation.ask(prompt).get(a.settings.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            a.fail(new io.cockpitwsjava.protocol.ProblemException(io.cockpitwsjava.protocol.Problem.TIMEOUT,
                    "no answer to a login prompt in time"));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | RuntimeException e) {
            LOG.debugf("login prompt not answered: %s", e.toString());
            return null;
        } finally {
            a.arm(a.settings.authTimeout());
        }
    }
}
